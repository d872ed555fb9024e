"""Bad input never gives a 500: control characters refused with 400 everywhere, invisible characters
dropped from names, exports that survive what is already stored, sane audit dates, and the headers
every response owes (no-store, Allow, a known language)."""

import csv
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from dropin.extensions import db
from dropin.models import Feedback, Partner, Site, Task, User
from tests.factories import make_kiosk, make_partner, make_site, make_task, make_user
from tests.helpers import count_rows, login, site_id, token_of
from tests.stats_data import known_data, make_claims, make_task_on
from tests.web.filled_forms import partner_data, proposal_data

REFUSED = "Tekstissä oli merkki, jota ei voi käyttää"
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f"]


def assert_refused(response, message=REFUSED):
    assert response.status_code == 400, response.status_code
    assert message in response.get_data(as_text=True)


# --- control characters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/kiosk/te%00sti",
        "/kiosk/testi/tasks/1?lang=fi%00",
        "/c/abc%00def",
        "/c/abc%00def/release",
        "/p/abc%00def",
        "/kiosk/enroll/abc%00def",
        "/login?next=/staff%00",
        "/?x=%07",
        "/?x%00=1",
    ],
)
def test_a_control_character_in_a_public_url_is_400(client, people, path):
    assert_refused(client.get(path))


@pytest.mark.parametrize(
    "path", ["/api/v1/sites/te%00sti/tasks", "/api/v1/claims/abc%00", "/api/v1/sites/testi/tasks?date=2026%0001"]
)
def test_a_control_character_in_an_api_url_is_400_in_english(client, people, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json["error"] == "control_character"
    assert "control character" in response.json["message"]


def test_a_control_character_in_an_api_delete_is_400(client, people):
    assert client.delete("/api/v1/claims/abc%00").status_code == 400


@pytest.mark.parametrize("char", CONTROLS)
def test_login_with_a_control_character_is_400(client, people, char):
    token = token_of(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": f"admin{char}@example.org", "password": "x"})
    assert_refused(response)


@pytest.mark.parametrize("char", CONTROLS)
def test_a_partner_name_with_a_control_character_is_400_and_nothing_stored(client, app, planning, login_as, char):
    login_as("staff", sites=["satama"])
    before = count_rows(app, Partner)
    data = partner_data(token_of(client, "/staff/partners/new"), name=f"Pata{char} ry")
    assert_refused(client.post("/staff/partners/new", data=data))
    assert count_rows(app, Partner) == before


def test_multi_line_text_keeps_its_line_breaks_and_tabs(client, app, planning, login_as):
    login_as("staff", sites=["satama"])
    data = partner_data(token_of(client, "/staff/partners/new"), notes="Avain:\r\n\tvarastolta")
    assert client.post("/staff/partners/new", data=data).status_code == 302
    with app.app_context():
        partner = db.session.scalar(sa.select(Partner).where(Partner.name == "Yhteiskeittiö Pata"))
        assert partner.notes == "Avain:\r\n\tvarastolta"


@pytest.mark.parametrize("char", ["\x00", "\x0b"])
def test_a_site_name_with_a_control_character_is_400_and_nothing_stored(admin, app, char):
    data = {
        "csrf_token": token_of(admin, "/admin/sites/new"),
        "name": f"Olohuone{char} Kallio",
        "slug": "kallio",
        "timezone": "Europe/Helsinki",
        "address": f"Kalliontie{char} 1",
    }
    before = count_rows(app, Site)
    assert_refused(admin.post("/admin/sites/new", data=data))
    assert count_rows(app, Site) == before


def new_task(client, site: str, day: date, **overrides):
    url = f"/staff/{site}/day/{day.isoformat()}/tasks/new"
    data = {
        "csrf_token": token_of(client, url),
        "title": "Iltasiivous",
        "category": "cleanup",
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "capacity": "4",
        "place": "Piha",
        "partner_id": "0",
        "physical_demand": "light",
        "setting": "outdoor",
        "meal_included": "y",
        **overrides,
    }
    return client.post(url, data=data)


@pytest.mark.parametrize("field", ["title", "place", "description", "bring"])
def test_a_task_with_a_control_character_is_400_and_nothing_stored(client, app, planning, login_as, field):
    login_as("staff", sites=["satama"])
    before = count_rows(app, Task)
    assert_refused(new_task(client, "satama", planning["today"] + timedelta(days=1), **{field: "Piha\x00 2"}))
    assert count_rows(app, Task) == before


def test_a_proposal_with_a_control_character_is_400_and_nothing_stored(client, app, planning):
    from dropin.models import Proposal

    url = f"/p/{planning['token']}/propose"
    before = count_rows(app, Proposal)
    data = proposal_data(token_of(client, url), planning["today"] + timedelta(days=3), title="Raivaus\x00")
    assert_refused(client.post(url, data=data))
    assert count_rows(app, Proposal) == before


@pytest.fixture
def kiosk_browser(app, client):
    with app.app_context():
        site = make_site("testi")
        make_task(site)
        enrollment = make_kiosk(site)
        db.session.commit()
    assert client.get(f"/kiosk/enroll/{enrollment.enroll_token}").status_code == 302
    return client


def test_feedback_with_a_control_character_is_400_and_nothing_stored(app, kiosk_browser):
    token = token_of(kiosk_browser, "/kiosk/testi/feedback/code")
    response = kiosk_browser.post("/kiosk/testi/feedback/code", data={"csrf_token": token, "code": "AC\x00DE"})
    assert_refused(response)
    token = token_of(kiosk_browser, "/kiosk/testi/feedback/useful")
    response = kiosk_browser.post("/kiosk/testi/feedback/useful", data={"csrf_token": token, "answer": "3\x00"})
    assert_refused(response)
    assert count_rows(app, Feedback) == 0


def test_the_refusal_is_in_the_users_language(client, people):
    client.get("/?lang=en")
    token = token_of(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 400
    assert "character that cannot be used" in response.get_data(as_text=True)


# --- invisible characters -----------------------------------------------------------------------

INVISIBLE = "\u202e\u202a\u2066\u2069\u200b\u200c\u200d\u2060\ufeff"


def test_bidi_overrides_and_zero_width_characters_are_dropped_from_names(client, app, planning, login_as):
    login_as("admin")
    data = partner_data(
        token_of(client, "/staff/partners/new"), name=f"Pata{INVISIBLE} ry", sites=[site_id(app, "satama")]
    )
    assert client.post("/staff/partners/new", data=data).status_code == 302
    day = planning["today"] + timedelta(days=1)
    response = new_task(client, "satama", day, title="Ilta\u202esiivous", place="Pi\u200bha\u2066")
    assert response.status_code == 302
    site_data = {
        "csrf_token": token_of(client, "/admin/sites/new"),
        "name": "Olohuone\u202e Kallio\u200b",
        "slug": "kallio",
        "timezone": "Europe/Helsinki",
    }
    assert client.post("/admin/sites/new", data=site_data).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Partner.name).where(Partner.name.like("Pata%"))) == "Pata ry"
        task = db.session.scalar(sa.select(Task).where(Task.date == day))
        assert (task.title, task.place) == ("Iltasiivous", "Piha")
        assert db.session.scalar(sa.select(Site.name).where(Site.slug == "kallio")) == "Olohuone Kallio"


def test_passwords_are_left_as_typed(client, app):
    with app.app_context():
        make_user("admin@example.org", "admin", password="sala\u200bsana-pitkä-ja-hyvä")
        db.session.commit()
    assert login(client, "admin@example.org", "sala\u200bsana-pitkä-ja-hyvä").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


# --- exports ------------------------------------------------------------------------------------

MARCH = "from=2026-03-01&to=2026-03-31"


@pytest.fixture
def stored_controls(app, client):
    """A partner and a site whose names got a control character before the input filter existed."""
    with app.app_context():
        data = known_data()
        make_user("worker@example.org", "worker")
        partner = make_partner("Bad\x07 ry")
        make_partner("=Kaava\x01 ry")
        task = make_task_on(data["satama"], date(2026, 3, 3), partner, "other", 9)
        make_claims(task, 6)
        data["satama"].name = "Sata\x1bma"
        db.session.commit()
    login(client, "worker@example.org")
    return client


def test_xlsx_export_survives_stored_control_characters(stored_controls):
    response = stored_controls.get(f"/stats/export.xlsx?{MARCH}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    names = [c.value for c in book["Kumppaneittain"]["A"] if c.value]
    assert "Bad ry" in names
    text = repr([c.value for sheet in book for row in sheet.iter_rows() for c in row])
    assert "\\x07" not in text
    assert "\\x1b" not in text


def test_csv_export_drops_stored_control_characters_and_keeps_formulas_out(stored_controls):
    response = stored_controls.get(f"/stats/export.csv?{MARCH}")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    assert not any(c in text for c in "\x07\x1b\x01")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert [r[0] for r in rows if r and r[0].startswith("Bad")] == ["Bad ry"]


# --- audit log dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "date_from=0001-01-01",
        "date_to=9999-12-31",
        "date_from=1999-12-31",
        "date_to=2100-01-01",
        "date_from=0001-01-01&date_to=9999-12-31",
    ],
)
def test_audit_dates_out_of_range_get_a_finnish_message(admin, query):
    response = admin.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    assert "Anna päivä vuosilta 2000–2099." in response.get_data(as_text=True)


def test_audit_dates_in_range_still_filter(admin):
    assert admin.get("/admin/audit?date_from=2000-01-01&date_to=2099-12-31").status_code == 200


# --- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/sites", "/api/v1/sites/testi/tasks"])
def test_api_responses_are_never_stored(client, people, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_api_errors_are_never_stored(client, people):
    assert client.get("/api/v1/claims/nope").headers["Cache-Control"] == "no-store"


def test_the_staff_live_counts_are_never_stored(client, people):
    login(client, "staff@example.org")
    with client.application.app_context():
        today = db.session.get(Site, people.site).today()
    response = client.get(f"/staff/testi/day/{today.isoformat()}/live.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("get", "/logout", {"POST", "OPTIONS"}),
        ("post", "/kiosk/testi", {"GET", "HEAD", "OPTIONS"}),
        ("put", "/api/v1/sites", None),
    ],
)
def test_405_says_what_is_allowed(client, people, method, path, allowed):
    response = getattr(client, method)(path)
    assert response.status_code == 405
    methods = {m.strip() for m in response.headers["Allow"].split(",")}
    assert allowed is None or methods == allowed


@pytest.mark.parametrize("path", ["/?lang=xx", "/kiosk/testi?lang=de", "/api/v1/sites?lang=zz", "/login?lang="])
def test_an_unknown_language_is_400(client, people, path):
    assert client.get(path).status_code == 400


def test_a_known_language_still_switches(client, people):
    assert client.get("/kiosk/testi?lang=sv").status_code == 200
    assert client.get("/login?lang=en").status_code == 200
