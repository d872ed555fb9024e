"""Bearer-token authorisation of the API's writes: an enrolled kiosk's API token."""

from functools import wraps

from flask import g, request

from dropin.errors import error_response
from dropin.kiosks import kiosk_from_api_token
from dropin.models import Kiosk


def bearer_kiosk() -> Kiosk | None:
    """The enrolled kiosk of the request's `Authorization: Bearer <API token>`, looked up once into `g.kiosk`."""
    if "kiosk" not in g:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        g.kiosk = kiosk_from_api_token(token.strip()) if scheme.lower() == "bearer" else None
    return g.kiosk


def kiosk_token_required(view):
    """Let the view run only for a valid `Authorization: Bearer <kiosk API token>`; it finds the kiosk in `g.kiosk`."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if bearer_kiosk() is None:
            return error_response(401, "A valid kiosk token is required (Authorization: Bearer ...).", "unauthorized")
        return view(*args, **kwargs)

    return wrapped
