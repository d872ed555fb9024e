"""What the tests share that is not a fixture: the test password, forms sent as a browser would, rows to count."""

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AuditEvent, Feedback, Kiosk, Site, User

ROOT = Path(__file__).resolve().parent.parent
# Every user the factories make has this password, unless a test says otherwise.
PASSWORD = "oikein-hyvä-salasana"

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page, as a browser would submit it."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def token_of(client, path: str) -> str:
    """The CSRF token of the form on the page at `path`, for the client's own session."""
    return csrf_token(client.get(path).get_data(as_text=True))


def login(client, email: str, password: str = PASSWORD, **request):
    """Log in through the real form, CSRF token and all; return the response (a 302 when it worked).

    `request` goes to both requests, e.g. `environ_base={"REMOTE_ADDR": ...}` for another client address.
    """
    token = csrf_token(client.get("/login", **request).get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password}, **request)


def count_rows(app, model, *where) -> int:
    """How many rows of `model` match `where`, read in an app context of its own."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def audit_text(app) -> str:
    """Every audit event's action, before and after as one string: to compare, or to search for a secret."""
    with app.app_context():
        return json.dumps([[e.action, e.before, e.after] for e in db.session.scalars(sa.select(AuditEvent))])


def admin_counts(app) -> tuple[int, ...]:
    """Users, sites, kiosks and audit events: what a refused admin request must not add to."""
    return tuple(count_rows(app, model) for model in (User, Site, Kiosk, AuditEvent))


def audit_rows(app, action: str | None = None) -> list[AuditEvent]:
    """The audit events, oldest first (of one action when given), detached to read after the context ends."""
    with app.app_context():
        query = sa.select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        rows = db.session.scalars(query).all()
        db.session.expunge_all()
        return rows


def assert_refused_and_nothing_stored(app, client, url: str, data: dict, message: str) -> None:
    """POST a form the admin pages must refuse: a 400 that says `message`, and not a row more of anything."""
    before = admin_counts(app)
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert admin_counts(app) == before


@contextmanager
def counted_queries(app) -> Iterator[list[str]]:
    """Every SQL statement the app's engine runs inside the block, in the list it gives."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def feedback_rows(app) -> list[tuple]:
    """The stored feedback, in the order it came: site, date, category, partner and the three answers."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                Feedback.site_id,
                Feedback.date,
                Feedback.category,
                Feedback.partner_id,
                Feedback.useful,
                Feedback.decide,
                Feedback.community,
            ).order_by(Feedback.id)
        )
        return [tuple(row) for row in rows]


def site_id(app, slug: str) -> int:
    """The id of the site with this slug."""
    with app.app_context():
        return db.session.scalar(sa.select(Site.id).where(Site.slug == slug))
