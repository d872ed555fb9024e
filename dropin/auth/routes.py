"""Log in and out. Visitors never see these pages."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from dropin.auth import bp, throttle
from dropin.auth.forms import LoginForm
from dropin.auth.service import LoginLocked, LoginRefused, authenticate
from dropin.extensions import db
from dropin.models.user import Role


def home_for(user) -> str:
    if user.role == Role.WORKER:
        return url_for("stats.index")
    return url_for("staff.index")


def _safe_next(target: str | None) -> str | None:
    # Only paths on this site: never an open redirect.
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        client = throttle.client_key(request.remote_addr or "-", current_app.config["SECRET_KEY"])
        try:
            user = authenticate(form.email.data, form.password.data, client)
        except LoginLocked:
            db.session.commit()
            form.form_errors.append(_("Liian monta epäonnistunutta yritystä. Yritä uudelleen 15 minuutin päästä."))
            status = 429
        except LoginRefused:
            db.session.commit()
            form.form_errors.append(_("Sähköposti tai salasana on väärin."))
            status = 401
        else:
            db.session.commit()
            lang = session.get("lang")
            session.clear()  # a fresh session on login: nothing from before carries over but the language
            if lang:
                session["lang"] = lang
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("Olet kirjautunut ulos."), "success")
    return redirect(url_for(".login"))
