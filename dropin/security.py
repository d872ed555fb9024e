"""Security headers (a CSP with no unsafe-inline, no framing, no referrer leaks), the host names
requests may use, and which proxy's X-Forwarded-* headers waitress believes."""

from flask import Flask, abort, current_app, request
from werkzeug.sansio.utils import host_is_trusted

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def talisman_options(secure: bool) -> dict:
    """Talisman's arguments; `secure` (behind HTTPS) makes session cookies secure. HSTS goes with
    every response to a request that came over HTTPS (directly or through the trusted proxy)."""
    return dict(
        force_https=False,  # kiosks live on closed LANs; TLS is the reverse proxy's job
        strict_transport_security=True,
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        frame_options="DENY",
        content_security_policy=CSP,
        referrer_policy="no-referrer",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )


def no_store_for_people(response):
    # Pages can carry a claim's code; never let a shared browser cache them.
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def register_no_store(app: Flask) -> None:
    app.after_request(no_store_for_people)


def refuse_unknown_host(_endpoint=None, _values=None):
    # Links to hand out are built from the Host: a name we do not serve must not end up in them.
    allowed = current_app.config["ALLOWED_HOSTS"]
    if allowed is not None and not host_is_trusted(request.host, allowed):
        abort(400)


def register_host_check(app: Flask) -> None:
    """Refuse (400) requests for a host name not in ALLOWED_HOSTS, before anything else runs.

    An app-wide URL value preprocessor runs before the blueprints' preprocessors and every
    before_request hook. (Flask's own TRUSTED_HOSTS fails earlier, leaving the 400 page no URLs.)
    """
    app.url_value_preprocessor(refuse_unknown_host)


def waitress_proxy_options(config) -> dict:
    """waitress.serve()'s arguments for the trusted proxy: its X-Forwarded-* headers set the client's
    address, scheme and host; everyone else's are dropped."""
    options = {"clear_untrusted_proxy_headers": True}
    if config.get("TRUSTED_PROXY"):
        options.update(
            trusted_proxy=config["TRUSTED_PROXY"],
            trusted_proxy_count=config["TRUSTED_PROXY_COUNT"],
            trusted_proxy_headers=config["TRUSTED_PROXY_HEADERS"],
        )
    return options
