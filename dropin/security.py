"""Security headers (a CSP with no unsafe-inline, no framing but an embeddable page's by the origins it
names, no referrer leaks), the host names
requests may use, the input every request must pass, and which proxy's X-Forwarded-* headers
waitress believes."""

from collections.abc import Callable, Iterator, Mapping

from flask import Flask, Response, abort, current_app, g, has_request_context, request, session
from werkzeug.sansio.utils import host_is_trusted

from dropin.errors import ControlCharacter
from dropin.extensions import talisman
from dropin.forms import has_control_characters

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


class FramingPolicy(Mapping):
    """The CSP of a page other sites may frame: `frame-ancestors` is what the view named with
    allow_framing() for this request, else 'none'. Talisman reads it anew for every response."""

    def _policy(self) -> dict:
        origins = g.get("frame_ancestors") if has_request_context() else None
        return {**CSP, "frame-ancestors": " ".join(origins) if origins else "'none'"}

    def __getitem__(self, key: str) -> str:
        return self._policy()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._policy())

    def __len__(self) -> int:
        return len(CSP)


def embeddable(view: Callable) -> Callable:
    """Talisman's options for a view whose page may be framed: the CSP of FramingPolicy, and no
    X-Frame-Options from Talisman (it cannot name origins; frame_options_header() sets it)."""
    return talisman(frame_options=None, content_security_policy=FramingPolicy())(view)


def allow_framing(origins: list[str]) -> None:
    """Let these origins frame this response (an embeddable view; empty: nobody)."""
    g.frame_ancestors = list(origins)


def frame_options_header(response: Response) -> Response:
    # X-Frame-Options may not contradict frame-ancestors: DENY unless named origins may frame the page.
    if not g.get("frame_ancestors"):
        response.headers["X-Frame-Options"] = "DENY"
    return response


def no_store_for_people(response):
    # Pages can carry a claim's code, the API claims' tokens, staff JSON the day's figures:
    # never let a shared browser or a proxy keep them.
    logged_in = response.is_json and "_user_id" in session
    if response.mimetype == "text/html" or request.path.startswith("/api/") or logged_in:
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


def _texts(values: dict | None) -> Iterator[str]:
    """Every string a request brings: URL values, query and form keys and values, JSON strings."""
    for value in (values or {}).values():
        if isinstance(value, str):
            yield value
    for multi in (request.args, request.form):
        for key, value in multi.items(multi=True):
            yield key
            yield value
    if request.is_json:
        yield from _json_texts(request.get_json(silent=True))


def _json_texts(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_texts(item)


def refuse_bad_input(_endpoint=None, values=None):
    # Before any loader or view: a NUL byte in a query breaks PostgreSQL, a control character the XLSX export.
    if any(has_control_characters(text) for text in _texts(values)):
        raise ControlCharacter()
    if "lang" in request.args and request.args["lang"] not in current_app.config["LANGUAGES"]:
        abort(400)


def register_input_check(app: Flask) -> None:
    """Refuse (400) a request that carries a control character anywhere, or an unknown `lang`.

    Like the host check, an app-wide URL value preprocessor: it runs before the blueprints' URL
    loaders and every before_request hook, so nothing reads a value before it has passed."""
    app.url_value_preprocessor(refuse_bad_input)


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
