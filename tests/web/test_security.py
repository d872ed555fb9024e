"""Headers, limits, templates that keep the CSP honest, and a claims table that knows no one."""

import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from dropin.claims.service import hash_token
from dropin.extensions import db
from dropin.models import Claim
from tests.factories import make_kiosk, make_site, make_task
from tests.helpers import ROOT, csrf_token

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
# Everything a claim may hold. A new column that could single someone out must fail here first.
CLAIM_COLUMNS = {
    "id",
    "task_id",
    "code",
    "token_hash",
    "source",
    "first_time",
    "status",
    "created_at",
    "ended_at",
    "arrived_at",  # when staff marked the visitor arrived: a time, not a person
    "over_capacity",
}

BROWSER, FORWARDED_FOR, REMOTE_ADDR = "Mozilla/5.0 (Linux; Android 14) Puhelin/77", "203.0.113.7", "198.51.100.23"


@pytest.fixture
def pages(app, client):
    """An enrolled kiosk that took a place: the URL of every page a visitor can see."""
    with app.app_context():
        site = make_site("testi")
        task = make_task(site, title="Roskien keruu", capacity=3)
        enrollment = make_kiosk(site)
        db.session.commit()
        task_id, enroll_token = task.id, enrollment.enroll_token
    client.get(f"/kiosk/enroll/{enroll_token}")
    details = f"/kiosk/testi/tasks/{task_id}"
    claim_url = f"{details}/claim"
    client.post(
        claim_url,
        data={"csrf_token": csrf_token(client.get(details).get_data(as_text=True))},
        headers={"User-Agent": BROWSER, "X-Forwarded-For": FORWARDED_FOR},
        environ_base={"REMOTE_ADDR": REMOTE_ADDR},
    )
    with client.session_transaction() as session:
        token = session["receipt"]
    return SimpleNamespace(
        task_id=task_id,
        token=token,
        claim=claim_url,
        kiosk=["/kiosk/testi/receipt", details, "/kiosk/testi"],  # the board forgets the receipt: last
        phone=[f"/c/{token}", f"/c/{token}/release"],
        other=["/", "/kiosk/ei-ole", "/ei-tallaista-sivua"],
    )


def html_pages(pages) -> list[str]:
    return pages.kiosk + pages.phone + pages.other


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


# --- headers ----------------------------------------------------------------------------------


def test_every_html_page_sends_the_security_headers(client, pages):
    for url in html_pages(pages):
        response = client.get(url)
        assert response.mimetype == "text/html", url
        assert response.status_code in (200, 404), url
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp, url
        assert "unsafe-eval" not in csp, url
        directives = csp_directives(csp)
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["style-src"] == ["'self'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert response.headers["X-Frame-Options"] == "DENY", url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "no-referrer", url


def test_kiosk_and_phone_pages_are_never_cached(client, pages):
    for url in pages.kiosk + pages.phone:
        assert "no-store" in client.get(url).headers.get("Cache-Control", ""), url


def test_session_cookie_is_httponly_and_samesite(client, pages):
    response = client.get("/kiosk/testi?lang=sv")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    attributes = [part.strip() for part in cookie.split(";")]
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes


def test_too_big_a_request_is_413_not_500(client, app, pages):
    body = {"csrf_token": "x", "filler": "a" * (app.config["MAX_CONTENT_LENGTH"] + 1)}
    for url in (pages.claim, f"/c/{pages.token}/release", "/kiosk/testi/receipt/first-time"):
        response = client.post(url, data=body)
        assert response.status_code == 413, url
        assert "Lähetetty tieto oli liian suuri." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Claim)) == 1


# --- templates: nothing the CSP would have to allow ----------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""[\s"']style\s*=""", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""[\s"']on[a-z]+\s*=""", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)


def test_there_are_templates_to_scan():
    assert len(TEMPLATES) >= 8
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/kiosk.js" defer></script>')
    assert STYLE_ATTRIBUTE.search('<p style="color: red">')
    assert EVENT_HANDLER.search('<a onclick="x()">')
    assert not EVENT_HANDLER.search('<p class="notice-ask">')
    assert not EVENT_HANDLER.search("{{ only }}")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_template_has_no_inline_script_style_or_handlers(template):
    text = template.read_text()
    for pattern in (INLINE_SCRIPT, STYLE_BLOCK, STYLE_ATTRIBUTE, EVENT_HANDLER, JAVASCRIPT_URL):
        found = pattern.search(text)
        assert found is None, f"{pattern.pattern!r} at {text[max(found.start() - 40, 0) : found.end() + 40]!r}"


class AssetLinks(HTMLParser):
    """Every URL a page makes the browser fetch by itself."""

    FETCHED = {
        ("link", "href"),
        ("script", "src"),
        ("img", "src"),
        ("img", "srcset"),
        ("source", "src"),
        ("source", "srcset"),
        ("iframe", "src"),
        ("object", "data"),
        ("embed", "src"),
        ("video", "src"),
        ("audio", "src"),
        ("video", "poster"),
        ("form", "action"),
    }

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in self.FETCHED and value:
                self.urls.append(value)
            if tag == "meta" and name == "content" and value and "url=" in value:
                self.urls.append(value.split("url=", 1)[1])


def is_external(url: str) -> bool:
    return bool(re.match(r"\s*(https?:)?//", url, re.IGNORECASE))


def test_pages_load_nothing_from_other_hosts(client, pages):
    for url in html_pages(pages):
        parser = AssetLinks()
        parser.feed(client.get(url).get_data(as_text=True))
        assert parser.urls, url
        external = [u for u in parser.urls if is_external(u)]
        assert external == [], url
    assert is_external("https://cdn.example/x.js")
    assert is_external("//cdn.example/x.css")


def test_stylesheets_load_nothing_from_other_hosts():
    for sheet in (ROOT / "static").rglob("*.css"):
        for target in re.findall(r"(?:url\(|@import)\s*['\"]?([^'\")\s]+)", sheet.read_text()):
            assert not is_external(target), f"{sheet.name}: {target}"


# --- privacy: the claims table knows no one ------------------------------------------------------


def test_claim_columns_are_exactly_the_anonymous_ones(app, pages):
    assert set(Claim.__table__.columns.keys()) == CLAIM_COLUMNS
    with app.app_context():
        migrated = {column["name"] for column in sa.inspect(db.engine).get_columns("claims")}
    assert migrated == CLAIM_COLUMNS


def all_values(app) -> list[str]:
    """Every value of every row of every table in the database, as text."""
    values = []
    with app.app_context():
        metadata = sa.MetaData()
        metadata.reflect(db.engine)
        with db.engine.connect() as conn:
            for table in metadata.sorted_tables:
                for row in conn.execute(sa.select(table)):
                    values.extend(str(v) for v in row if v is not None)
    return values


def test_phone_token_is_stored_only_as_a_hash(app, pages):
    values = all_values(app)
    assert hash_token(pages.token) in values  # we are looking at the right database
    assert not [v for v in values if pages.token in v]


@pytest.mark.parametrize("db_kind", ["sqlite"])
def test_phone_token_is_nowhere_in_the_sqlite_files(app, pages):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # closes the connections; WAL contents stay in the -wal file or move in
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    files = [p for p in path.parent.glob(path.name + "*") if p.is_file()]
    raw = b"".join(p.read_bytes() for p in files)
    assert hash_token(pages.token).encode() in raw
    assert pages.token.encode() not in raw


def test_claim_request_leaves_no_address_or_browser_in_the_database(app, pages):
    values = " ".join(all_values(app))
    for clue in (BROWSER, "Puhelin/77", FORWARDED_FOR, REMOTE_ADDR):
        assert clue not in values
