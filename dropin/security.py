"""Security headers: a CSP with no unsafe-inline, no framing, no referrer leaks."""

from flask import Flask

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
    """Talisman's arguments; `secure` (behind HTTPS) adds HSTS and secure session cookies."""
    return dict(
        force_https=False,  # kiosks live on closed LANs; TLS is the reverse proxy's job
        strict_transport_security=secure,
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
