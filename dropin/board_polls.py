"""Answers of the board, its live list and the tasks API sent again, before Flask, while they hold.

Every kiosk asks for its list every few seconds, and almost always nothing has changed. Flask's
own round (the session, the limiter, the security headers, the language, the site and the kiosk
loaded through the ORM) costs several times what the answer does. So the answer Flask gave to a
request of these views is kept here, keyed by everything in the request it could depend on (path,
query, host, scheme, cookies, Authorization, If-None-Match), together with what it was made from:
the site, its data version, and the moment it expires (the next start or end of a task of the
day shown, or midnight). The same request again gets the same answer, byte for byte and with every
header, as long as the site's version is still that one (one indexed SELECT) and the moment has
not come. Anything else goes to Flask as before.

Only answers that set no cookie are kept (a session that changed, a login being refreshed, a new
language). Kiosks are part of the data version (`dropin.data_version`): a revoked kiosk's
board changes as soon as it is revoked.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, request

from dropin import board_cache
from dropin.extensions import db

# What a view tells this module about its answer (see `made_from`).
ENVIRON_KEY = "dropin.board_polls"
# Kept answers: one per kiosk and view, a few KB each (a 304 has no body).
ENTRIES = 512
# The request's parts an answer of these views can depend on, besides its path and query.
VARYING = ("HTTP_HOST", "HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH", "SCRIPT_NAME", "wsgi.url_scheme")
VERSION = sa.text("SELECT data_version FROM sites WHERE id = :id")


@dataclass(frozen=True)
class Answer:
    site_id: int
    version: int
    until: datetime
    status: str
    headers: list[tuple[str, str]]
    body: bytes


def made_from(showing: board_cache.Showing) -> None:
    """Called by a view whose answer may be sent again: the site and version it shows, until when."""
    request.environ[ENVIRON_KEY] = (showing.site_id, showing.version, showing.until)


class KeptAnswers:
    """WSGI middleware around the Flask app (see the module's docstring)."""

    def __init__(self, app: Flask) -> None:
        self.wsgi_app = app.wsgi_app
        self.app = app
        self.answers: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.engine: sa.Engine | None = None

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        key = (environ.get("PATH_INFO"), environ.get("QUERY_STRING"), *(environ.get(name) for name in VARYING))
        answer = self.answers.get(key)
        if answer is not None and self._holds(answer):
            start_response(answer.status, answer.headers)
            return [answer.body]
        return self._through_flask(key, environ, start_response)

    def _holds(self, answer: Answer) -> bool:
        if board_cache.utcnow() >= answer.until:
            return False
        if self.engine is None:
            with self.app.app_context():
                self.engine = db.engine
        try:
            with self.engine.connect() as connection:
                return connection.execute(VERSION, {"id": answer.site_id}).scalar() == answer.version
        except sa.exc.SQLAlchemyError:
            return False  # Flask answers, with its own error page if the database is away

    def _through_flask(self, key: tuple, environ, start_response):
        seen = {}

        def keep_status(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, keep_status)
        made = environ.get(ENVIRON_KEY)
        if made is None or not seen or seen["status"][:3] not in ("200", "304"):
            return body
        if any(name.lower() == "set-cookie" for name, _value in seen["headers"]):
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        self._keep(key, Answer(*made, seen["status"], list(seen["headers"]), content))
        return [content]

    def _keep(self, key: tuple, answer: Answer) -> None:
        with self.lock:
            self.answers[key] = answer
            self.answers.move_to_end(key)
            while len(self.answers) > ENTRIES:
                self.answers.popitem(last=False)


def init_app(app: Flask) -> None:
    app.wsgi_app = KeptAnswers(app)
