"""Static files named by their content: cached for a year, and a new address as soon as they change.

`url_for("static", filename=...)` adds `?v=<hash of the file's content>` (an app-wide URL default),
so templates need nothing of their own. A request whose `v` is the file's hash gets
`Cache-Control: public, max-age=31536000, immutable`: a kiosk that shows the board again asks for
the page alone. Any other request for the file (no `v`, or the hash of an older version that a
page still names) gets the file as it is now with `no-cache`, so no browser keeps it unasked.

A stylesheet is served with its `url(...)` references (fonts, images) fingerprinted the same way,
and its own hash is the hash of that text: a new font gives the stylesheet a new address too.

Hashes are computed once per file, at first use; in debug mode on every use, so an edited file
shows at once.
"""

import base64
import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import safe_join

IMMUTABLE = "public, max-age=31536000, immutable"
# A relative reference in a stylesheet: url(x), url('x'), url("x").
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")


@dataclass(frozen=True)
class Fingerprint:
    version: str
    stylesheet: bytes | None = None  # a stylesheet's text with its own references fingerprinted


def content_hash(data: bytes) -> str:
    """Eight URL-safe characters (48 bits) of the content's SHA-256: a new value whenever it changes."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest())[:8].decode()


class StaticFingerprints:
    """The fingerprints of the files in one static folder, by file name (as `url_for` is given it)."""

    def __init__(self, folder: str):
        self.folder = folder
        self.known: dict[str, Fingerprint] = {}

    def get(self, filename: str, fresh: bool = False) -> Fingerprint | None:
        """The file's fingerprint, None for a file that does not exist. `fresh` reads the file again."""
        if fresh or filename not in self.known:
            found = self._read(filename, fresh)
            if found is None:
                return None  # not remembered: anyone can ask for endless names that do not exist
            self.known[filename] = found
        return self.known[filename]

    def _read(self, filename: str, fresh: bool) -> Fingerprint | None:
        path = safe_join(self.folder, filename)
        if path is None or not Path(path).is_file():
            return None
        data = Path(path).read_bytes()
        if not filename.endswith(".css"):
            return Fingerprint(content_hash(data))
        text = self._fingerprint_references(filename, data.decode("utf-8"), fresh).encode("utf-8")
        return Fingerprint(content_hash(text), text)

    def _fingerprint_references(self, stylesheet: str, text: str, fresh: bool) -> str:
        folder = posixpath.dirname(stylesheet)

        def with_version(match: re.Match) -> str:
            quote, target = match.groups()
            if ":" in target or target.startswith(("/", "#")) or "?" in target:
                return match.group(0)  # data: URIs, absolute paths, already versioned
            found = self.get(posixpath.normpath(posixpath.join(folder, target)), fresh)
            if found is None:
                return match.group(0)
            return f"url({quote}{target}?v={found.version}{quote})"

        return CSS_URL.sub(with_version, text)


def fingerprints() -> StaticFingerprints:
    return current_app.extensions["dropin.static_fingerprints"]


def fingerprint(filename: str | None) -> Fingerprint | None:
    if not isinstance(filename, str):
        return None
    return fingerprints().get(filename, fresh=current_app.debug)


def add_version(endpoint: str | None, values: dict) -> None:
    """url_for's default for static files: `v`, the hash of the file's content."""
    if endpoint == "static" and "v" not in values:
        found = fingerprint(values.get("filename"))
        if found is not None:
            values["v"] = found.version


def send_static_file(filename: str):
    """The static route: the file (a stylesheet with fingerprinted references), cached for a year
    when asked for by its current hash."""
    found = fingerprint(filename)
    if found is not None and found.stylesheet is not None:
        response = current_app.response_class(found.stylesheet, mimetype="text/css")
        response.set_etag(found.version)
        response.make_conditional(request)
    else:
        response = current_app.send_static_file(filename)
    if found is not None and request.args.get("v") == found.version:
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = "no-cache"
    response.headers.pop("Expires", None)
    return response


class SessionsLeaveStaticFilesAlone(SecureCookieSessionInterface):
    """Flask's cookie sessions, except that a static file's response carries neither a cookie nor
    `Vary: Cookie` (login hooks read the session on every request): with it, a browser would fetch
    every file again whenever the session cookie changes, after each claim or language switch."""

    def save_session(self, app, session, response) -> None:
        if request.endpoint != "static":
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.extensions["dropin.static_fingerprints"] = StaticFingerprints(app.static_folder)
    app.session_interface = SessionsLeaveStaticFilesAlone()
    app.url_defaults(add_version)
    app.view_functions["static"] = send_static_file
