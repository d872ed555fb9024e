"""Flask-Migrate, bound to the app on first use.

Alembic, with Mako and Pygments under it, takes 11 MB in every process that imports it; a server
answering the kiosks never migrates. So create_app() leaves a stand-in for Flask-Migrate's
`app.extensions["migrate"]` and a `db` command group that import Flask-Migrate only when
`dropin db ...`, flask_migrate.upgrade() or migrations/env.py first reach for them.
"""

import click
from flask import Flask, current_app, g
from flask.cli import with_appcontext


def bind_migrations(app: Flask):
    """Flask-Migrate's configuration of this app, importing and binding Flask-Migrate the first time."""
    found = app.extensions.get("migrate")
    if isinstance(found, UnboundMigrations):
        from flask_migrate import Migrate

        Migrate(app, found.db, **found.options)
    return app.extensions["migrate"]


class UnboundMigrations:
    """Stands in for Flask-Migrate's configuration until something reads it."""

    def __init__(self, app: Flask, db, options: dict):
        self.app, self.db, self.options = app, db, options

    def __getattr__(self, name: str):
        return getattr(bind_migrations(self.app), name)


def _flask_migrate_commands() -> click.Group:
    from flask_migrate.cli import db as commands

    return commands


class MigrationCommands(click.Group):
    """Flask-Migrate's `db` commands (upgrade, current, migrate...), imported when one is asked for."""

    def list_commands(self, ctx):
        return _flask_migrate_commands().list_commands(ctx)

    def get_command(self, ctx, name):
        return _flask_migrate_commands().get_command(ctx, name)


# The same options as Flask-Migrate's own `db` group, which its commands read from `g`.
@click.group("db", cls=MigrationCommands)
@click.option("-d", "--directory", default=None, help='Migration script directory (default is "migrations")')
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments consumed by custom env.py scripts")
@with_appcontext
def migration_commands(directory, x_arg):
    """Perform database migrations."""
    g.directory = directory
    g.x_arg = x_arg
    bind_migrations(current_app._get_current_object())


class LazyMigrate:
    """Flask-Migrate's `Migrate` as create_app() binds it, without importing Flask-Migrate yet."""

    def init_app(self, app: Flask, db, **options) -> None:
        app.extensions["migrate"] = UnboundMigrations(app, db, options)
        app.cli.add_command(migration_commands)
