"""Log in and out. Visitors never see these pages."""

from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from dropin.auth import bp, lifetime
from dropin.auth.forms import LoginForm
from dropin.auth.service import LoginLocked, LoginRefused, LoginSlowed, admit, authenticate, end_sessions
from dropin.extensions import db
from dropin.models.user import Role
from dropin.transactions import attempt


def home_for(user) -> str:
    if user.role == Role.WORKER:
        return url_for("stats.index")
    return url_for("staff.index")


def _safe_next(target: str | None) -> str | None:
    # Only paths on this site: never an open redirect.
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return None
    return target


@bp.before_app_request
def end_stale_login():
    lifetime.end_stale_login()


def _refused(error: Exception) -> tuple[str, int]:
    """The message and status for a refused login."""
    if isinstance(error, LoginSlowed):
        message = _(
            "Tähän tunnukseen on yritetty kirjautua monta kertaa väärällä salasanalla. "
            "Odota %(seconds)s sekuntia ja yritä uudelleen.",
            seconds=error.seconds,
        )
        return message, 429
    if isinstance(error, LoginLocked):
        return _("Liian monta epäonnistunutta yritystä. Yritä uudelleen 15 minuutin päästä."), 429
    return _("Sähköposti tai salasana on väärin."), 401


def _sign_in(form: LoginForm):
    """The user for the form's credentials, or the refusal. Every attempt is committed, refused or not."""
    address = request.remote_addr or "-"
    try:
        reserved = admit(form.email.data, address, current_app.config["SECRET_KEY"])
        db.session.commit()  # counted before the password is checked: parallel guesses see it
        user = authenticate(form.email.data, form.password.data, reserved)
    except (LoginSlowed, LoginLocked, LoginRefused) as error:
        db.session.commit()
        return None, error
    db.session.commit()
    return user, None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        user, refusal = _sign_in(form)
        if refusal is None:
            lang = session.get("lang")
            session.clear()  # a fresh session on login: nothing from before carries over but the language
            if lang:
                session["lang"] = lang
            login_user(user)
            session.permanent = True
            lifetime.start()
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        message, status = _refused(refusal)
        form.form_errors.append(message)
        if isinstance(refusal, LoginSlowed):
            headers["Retry-After"] = str(refusal.seconds)
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status, headers


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    attempt(lambda: end_sessions(user))  # copies of this session cookie stop working too
    logout_user()
    session.clear()
    flash(_("Olet kirjautunut ulos."), "success")
    return redirect(url_for(".login"))
