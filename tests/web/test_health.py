"""/healthz tells the truth about writes, a database outage is a 503 with Retry-After (not a 500),
and an error page on a kiosk finds its own way back to the board."""

import os
import re
import shutil
import time

import pytest

from dropin import create_app
from dropin.extensions import db
from tests.factories import make_kiosk, make_site
from tests.pg import _free_port

REFRESH = re.compile(r'<meta http-equiv="refresh" content="(\d+);url=([^"]+)">')


def config(url: str) -> dict:
    return {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "health", "ERROR_RETURN_SECONDS": 7}


@pytest.fixture
def sqlite_copy(sqlite_template, tmp_path):
    path = tmp_path / "dropin.sqlite"
    shutil.copy(sqlite_template, path)
    return path


@pytest.fixture(params=["postgresql", "sqlite"])
def outage(request, tmp_path):
    """An app whose database cannot be reached: PostgreSQL on a port nobody listens on, or a
    SQLite file that cannot be opened (a folder where the file should be)."""
    if request.param == "postgresql":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/dropin"
    else:
        (tmp_path / "gone.sqlite").mkdir()
        url = f"sqlite:///{tmp_path / 'gone.sqlite'}"
    app = create_app(config(url))
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_health_writes_and_answers_json(client):
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        response = client.get("/healthz")
        timings.append(time.perf_counter() - started)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert sorted(timings)[len(timings) // 2] < 0.1


def test_health_is_503_on_a_read_only_sqlite_database(sqlite_copy):
    # Root ignores a file's mode, so the database is opened read-only instead (as a 0444 file is for others).
    app = create_app(config(f"sqlite:///file:{sqlite_copy}?mode=ro&uri=true"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "read-only"}
    assert response.headers["Retry-After"] == "15"


def test_health_is_503_when_the_database_is_down(outage):
    response = outage.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}


def test_api_outage_is_503_in_english_with_retry_after(outage):
    response = outage.get("/api/v1/sites")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "15"
    assert response.get_json() == {
        "error": "database_unavailable",
        "message": "The service is unavailable for a moment. Try again shortly.",
    }


def test_kiosk_outage_is_the_finnish_page_that_returns_to_the_board(outage):
    response = outage.get("/kiosk/satama/tasks/3")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "15"
    assert "Palvelu on hetken poissa käytöstä" in page
    assert REFRESH.search(page).groups() == ("7", "/kiosk/satama/done")


def test_staff_outage_page_stays_put(outage):
    response = outage.get("/")
    assert response.status_code == 503
    assert "Palvelu on hetken poissa käytöstä" in response.get_data(as_text=True)
    assert not REFRESH.search(response.get_data(as_text=True))


@pytest.fixture
def site_with_kiosk(app):
    with app.app_context():
        site = make_site("satama")
        enrollment = make_kiosk(site)
        make_site("toinen")
        db.session.commit()
        return f"/kiosk/enroll/{enrollment.enroll_token}"


def test_a_404_under_a_kiosk_url_returns_to_the_board(client, site_with_kiosk):
    response = client.get("/kiosk/satama/tasks/999999")
    assert response.status_code == 404
    assert REFRESH.search(response.get_data(as_text=True)).group(2) == "/kiosk/satama/done"


def test_a_404_on_an_enrolled_kiosk_returns_to_its_own_board(client, site_with_kiosk):
    assert client.get(site_with_kiosk).status_code == 302
    for path in ("/kiosk/no-such-site", "/no-such-page", "/c/no-such-claim"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert REFRESH.search(response.get_data(as_text=True)).group(2) == "/kiosk/satama/done", path


def test_an_error_off_the_kiosk_does_not_move(client, site_with_kiosk):
    for path in ("/kiosk/no-such-site", "/no-such-page"):
        response = client.get(path)
        assert response.status_code == 404
        assert not REFRESH.search(response.get_data(as_text=True)), path


def test_a_staff_404_does_not_move(app, client, login_as, site_with_kiosk):
    login_as("admin")
    response = client.get("/admin/users/999999")
    assert response.status_code == 404
    assert not REFRESH.search(response.get_data(as_text=True))


def test_health_is_503_when_the_sqlite_disk_is_full(sqlite_copy, monkeypatch):
    app = create_app(config(f"sqlite:///{sqlite_copy}"))
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    full = os.statvfs_result((4096, 4096, 1000, 0, 0, 100, 0, 0, 0, 255))  # no block free
    monkeypatch.setattr(os, "statvfs", lambda _path: full)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "disk full"}
