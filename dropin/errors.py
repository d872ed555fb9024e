"""Error pages for people, JSON errors for API clients; never a bare 500."""

import contextlib
import logging

import sqlalchemy as sa
from flask import Flask, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError, ServiceUnavailable

from dropin.extensions import db
from dropin.forms import has_control_characters

log = logging.getLogger(__name__)

# Seconds a client is told to wait when the database cannot be reached.
RETRY_AFTER_SECONDS = 15
# The database is down, locked, read-only or unreachable: worth retrying, not a bug in the app.
DATABASE_OUTAGES = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)
KIOSK_BLUEPRINTS = ("kiosk", "feedback")


class ControlCharacter(BadRequest):
    """A request carried a control character (security.refuse_bad_input): 400, said plainly."""


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _message(code: int) -> str:
    messages = {
        400: _("Pyyntö oli virheellinen. Yritä uudelleen."),
        401: _("Kirjaudu ensin sisään."),
        403: _("Sinulla ei ole oikeutta tähän."),
        404: _("Sivua ei löytynyt."),
        405: _("Tätä toimintoa ei voi tehdä näin."),
        409: _("Tätä ei voitu tehdä juuri nyt."),
        413: _("Lähetetty tieto oli liian suuri."),
        429: _("Liian monta yritystä. Odota hetki ja yritä uudelleen."),
        503: _("Palvelu on hetken poissa käytöstä. Yritä hetken päästä uudelleen."),
    }
    return messages.get(code, _("Jokin meni vikaan. Yritä hetken päästä uudelleen."))


def error_response(code: int, message: str | None = None, reason: str | None = None, database_down: bool = False):
    message = message or _message(code)
    if _wants_json():
        body = {"error": reason or _slug(code), "message": message}
        return jsonify(body), code
    return_url = kiosk_return_url(database_down)
    page = render_template(
        "errors.html",
        code=code,
        message=message,
        return_url=return_url,
        return_seconds=current_app.config["ERROR_RETURN_SECONDS"],
    )
    return page, code


def kiosk_return_url(database_down: bool = False) -> str | None:
    """Where an error page shown on a kiosk goes by itself: its site's board, in Finnish, for the
    next visitor. None off the kiosk (staff pages stay put, their form and all)."""
    view_args = request.view_args or {}
    # The site of a kiosk URL; not one the URL loader already found unknown.
    site = view_args.get("site")
    known = g.get("site", True) is not None and not (isinstance(site, str) and has_control_characters(site))
    if request.blueprint in KIOSK_BLUEPRINTS and site and known:
        return url_for("kiosk.done", site=view_args["site"])
    config = current_app.config
    cookie = request.cookies.get(config["KIOSK_COOKIE_NAME"])
    if not cookie:
        return None
    if not database_down:
        from dropin.kiosks import kiosk_from_cookie

        with contextlib.suppress(*DATABASE_OUTAGES):
            kiosk = kiosk_from_cookie(cookie, config["SECRET_KEY"])
            if kiosk is not None:
                return url_for("kiosk.done", site=kiosk.site.slug)
            return None
    # The database is away: try this very page again; it works once the database is back.
    return request.url if request.method == "GET" else None


def _slug(code: int) -> str:
    from werkzeug.http import HTTP_STATUS_CODES

    return HTTP_STATUS_CODES.get(code, "error").lower().replace(" ", "_").replace("'", "")


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        # A kiosk that lost its session just starts over at the board: no error for a visitor.
        site = (request.view_args or {}).get("site")
        if request.blueprint in ("kiosk", "feedback") and site:
            return redirect(url_for("kiosk.board", site=site))
        if request.blueprint == "claims" and (request.view_args or {}).get("token"):
            flash(_("Sivu ehti vanhentua. Yritä uudelleen."), "warning")
            return redirect(url_for("claims.show", token=request.view_args["token"]))
        return error_response(400, _("Lomake ehti vanhentua. Lataa sivu uudelleen ja yritä uudestaan."))

    @app.errorhandler(sa.exc.OperationalError)
    @app.errorhandler(sa.exc.InterfaceError)
    @app.errorhandler(sa.exc.TimeoutError)
    def database_unavailable(error: Exception):
        # The class name only: the message may quote a statement's values.
        log.warning(
            "Database unavailable on %s %s: %s",
            request.method,
            request.url_rule,
            type(getattr(error, "orig", None) or error).__name__,
        )
        with contextlib.suppress(sa.exc.SQLAlchemyError):
            db.session.rollback()
        message = "The service is unavailable for a moment. Try again shortly." if _wants_json() else None
        body, code = error_response(ServiceUnavailable.code, message, "database_unavailable", database_down=True)
        return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(ControlCharacter)
    def control_character(error: ControlCharacter):
        if _wants_json():
            return error_response(400, "Text must not contain control characters.", "control_character")
        return error_response(400, _("Tekstissä oli merkki, jota ei voi käyttää. Poista se ja yritä uudelleen."))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        body, code = error_response(error.code or 500)
        # Allow on a 405, WWW-Authenticate, Retry-After: what the client needs to do better next time.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return body, code, headers

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        # The rule, not the path: a phone link carries a secret token.
        log.exception("Unhandled error on %s %s", request.method, request.url_rule)
        return error_response(InternalServerError.code)
