"""Error pages for people, JSON errors for API clients; never a bare 500."""

import logging

from flask import Flask, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


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
    }
    return messages.get(code, _("Jokin meni vikaan. Yritä hetken päästä uudelleen."))


def error_response(code: int, message: str | None = None, reason: str | None = None):
    message = message or _message(code)
    if _wants_json():
        body = {"error": reason or _slug(code), "message": message}
        return jsonify(body), code
    return render_template("errors.html", code=code, message=message), code


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

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return error_response(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        # The rule, not the path: a phone link carries a secret token.
        log.exception("Unhandled error on %s %s", request.method, request.url_rule)
        return error_response(InternalServerError.code)
