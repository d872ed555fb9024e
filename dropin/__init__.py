"""dropin: a touchscreen task board for low-threshold drop-in spaces."""

from flask import Flask

from dropin import config, security


def create_app(overrides: dict | None = None) -> Flask:
    overrides = overrides or {}
    settings = {**config.load(overrides), **overrides}
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(settings["INSTANCE_PATH"]),
    )
    app.config.from_object(config.Config)
    app.config.update(settings)
    from dropin.routing import IdConverter

    app.url_map.converters["id"] = IdConverter
    # Before every other hook: an unknown Host is refused before anything reads it.
    # (X-Forwarded-* headers are waitress's job: `dropin serve` trusts DROPIN_TRUSTED_PROXY's.)
    security.register_host_check(app)
    security.register_input_check(app)
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_commands(app)
    register_templating(app)
    return app


def register_extensions(app: Flask) -> None:
    from flask_babel import gettext

    from dropin import database, models  # noqa: F401  (models: every table for Alembic)
    from dropin.auth.service import load_user
    from dropin.extensions import babel, csrf, db, limiter, login_manager, migrate, talisman
    from dropin.i18n import select_locale

    db.init_app(app)
    database.configure_engine(app)
    migrate.init_app(app, db, directory=str(config.ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Kirjaudu ensin sisään."
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "warning"
    talisman.init_app(app, **security.talisman_options(app.config["SESSION_COOKIE_SECURE"]))
    security.register_no_store(app)


def register_blueprints(app: Flask) -> None:
    from dropin.admin import bp as admin_bp
    from dropin.api import bp as api_bp
    from dropin.auth import bp as auth_bp
    from dropin.claims import bp as claims_bp
    from dropin.feedback import bp as feedback_bp
    from dropin.kiosk import bp as kiosk_bp
    from dropin.main import bp as main_bp
    from dropin.partners import bp as partners_bp
    from dropin.staff import bp as staff_bp
    from dropin.stats import bp as stats_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(kiosk_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(claims_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(partners_bp)
    app.register_blueprint(stats_bp)


def register_errors(app: Flask) -> None:
    from dropin import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from dropin import cli

    cli.init_app(app)


def register_templating(app: Flask) -> None:
    from dropin import templating

    templating.init_app(app)
