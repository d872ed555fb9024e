"""Static files are named by their content's hash and cached for a year; pages are never cached."""

import re

import pytest
from flask import url_for

from dropin import create_app
from dropin.extensions import db
from dropin.static_files import IMMUTABLE, StaticFingerprints, content_hash
from tests.factories import make_site, make_task
from tests.helpers import ROOT

STATIC_URL = re.compile(r'(?:src|href)="(/static/[^"]+)"')
VERSIONED = re.compile(r"^/static/[\w/.-]+\?v=[\w-]{8}$")


@pytest.fixture
def board(app, client) -> str:
    with app.app_context():
        make_task(make_site("testi"), title="Roskien keruu")
        db.session.commit()
    return "/kiosk/testi"


@pytest.fixture
def static_client():
    """The static files need no database."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "static"}).test_client()


def test_a_page_names_every_static_file_by_its_hash_and_the_file_is_kept_for_a_year(client, board):
    page = client.get(board)
    assert page.headers["Cache-Control"] == "no-store"
    urls = set(STATIC_URL.findall(page.get_data(as_text=True)))
    assert {url.split("?")[0] for url in urls} >= {"/static/css/dropin.css", "/static/js/kiosk.js"}
    for url in urls:
        assert VERSIONED.match(url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        assert "Expires" not in response.headers
        assert content_hash(response.data) == url.rsplit("=", 1)[1], url


def test_the_stylesheets_fonts_are_named_by_their_hash_too(static_client):
    with static_client.application.test_request_context():
        sheet_url = url_for("static", filename="css/dropin.css")
    sheet = static_client.get(sheet_url).get_data(as_text=True)
    fonts = re.findall(r'url\("\.\./(fonts/[^"]+)"\)', sheet)
    assert len(fonts) == 2
    for font in fonts:
        name, version = font.split("?v=")
        assert version == content_hash((ROOT / "static" / name).read_bytes())
        response = static_client.get(f"/static/{font}")
        assert response.mimetype == "font/woff2"
        assert response.headers["Cache-Control"] == IMMUTABLE
    # The file on disk stays as written: WeasyPrint and editors read it.
    assert "?v=" not in (ROOT / "static" / "css" / "dropin.css").read_text()


@pytest.mark.parametrize("query", ["", "?v=AAAAAAAA", "?v=", "?v=ä"])
def test_a_file_asked_for_without_its_current_hash_is_served_but_not_kept(static_client, query):
    response = static_client.get(f"/static/js/kiosk.js{query}")
    assert response.status_code == 200
    assert response.data == (ROOT / "static" / "js" / "kiosk.js").read_bytes()
    assert response.headers["Cache-Control"] == "no-cache"


def test_an_unchanged_stylesheet_answers_its_etag_with_304(static_client):
    first = static_client.get("/static/css/dropin.css")
    again = static_client.get("/static/css/dropin.css", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_an_unknown_file_has_no_hash_and_is_not_found(static_client):
    with static_client.application.test_request_context():
        assert url_for("static", filename="css/nothing.css") == "/static/css/nothing.css"
    assert static_client.get("/static/css/nothing.css?v=AAAAAAAA").status_code == 404
    assert static_client.get("/static/../pyproject.toml").status_code == 404
    assert "css/nothing.css" not in static_client.application.extensions["dropin.static_fingerprints"].known


def test_static_files_carry_no_cookie_and_do_not_vary_by_it(app, client, login_as, board):
    # A logged-in request refreshes the session cookie; a cached file must not depend on it.
    login_as("staff", sites=["testi"])
    with app.test_request_context():
        url = url_for("static", filename="css/staff.css")
    response = client.get(url)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert client.get(board).headers["Vary"] == "Cookie"  # pages keep Flask's session handling


def test_a_changed_file_gets_a_new_hash_and_so_does_the_stylesheet_naming_it(tmp_path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "css").mkdir()
    font = tmp_path / "fonts" / "face.woff2"
    font.write_bytes(b"first")
    (tmp_path / "css" / "site.css").write_text(
        '@font-face { src: url("../fonts/face.woff2"); }\n.a { background: url(data:x) }'
    )
    fingerprints = StaticFingerprints(str(tmp_path))
    sheet = fingerprints.get("css/site.css")
    version = content_hash(b"first")
    assert (
        sheet.stylesheet.decode()
        == f'@font-face {{ src: url("../fonts/face.woff2?v={version}"); }}\n.a {{ background: url(data:x) }}'
    )

    font.write_bytes(b"second")
    assert fingerprints.get("css/site.css") == sheet  # computed once
    changed = fingerprints.get("css/site.css", fresh=True)
    assert changed.version != sheet.version
    assert content_hash(b"second") in changed.stylesheet.decode()


def test_in_debug_mode_an_edited_file_gets_its_new_hash_at_once(static_client, tmp_path):
    app = static_client.application
    app.static_folder = str(tmp_path)
    app.extensions["dropin.static_fingerprints"] = StaticFingerprints(str(tmp_path))
    (tmp_path / "a.js").write_text("1")
    app.debug = True
    with app.test_request_context():
        before = url_for("static", filename="a.js")
        (tmp_path / "a.js").write_text("2")
        assert url_for("static", filename="a.js") != before
