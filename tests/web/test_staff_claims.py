"""The receipt's code at the staff desk over HTTP: the day page's field, the code page, its buttons, who may see it."""

import re
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import AuditEvent, Claim
from dropin.models.claim import ClaimStatus
from tests.factories import make_site, make_task, make_user
from tests.helpers import count_rows, login, token_of


@pytest.fixture
def desk(app):
    """Satama with a claim 'ACD34' today and 'FGH67' eight days ago; Muu with its own 'JKM79'."""
    with app.app_context():
        site, other = make_site("satama"), make_site("muu")
        task = make_task(site, title="Roskien keruu", start_time=time(0, 0), end_time=time(23, 59), capacity=3)
        claim, _token = claim_place(task)
        claim.code = "ACD34"
        old_task = make_task(site, date=site.today() - timedelta(days=8), start_time=time(10), end_time=time(12))
        db.session.add(Claim(task=old_task, code="FGH67", token_hash="1" * 64))
        other_claim, _token = claim_place(make_task(other))
        other_claim.code = "JKM79"
        make_user("staff@example.org", "staff", sites=[site])
        make_user("other@example.org", "staff", sites=[other])
        make_user("worker@example.org", "worker")
        make_user("admin@example.org", "admin")
        db.session.commit()
        return {"claim": claim.id, "task": task.id, "today": site.today().isoformat()}


CODE_PAGE = "/staff/satama/claims/ACD34"


def _helsinki() -> ZoneInfo:
    return ZoneInfo("Europe/Helsinki")  # the test site's zone


def _claim(app, claim_id: int) -> Claim:
    with app.app_context():
        claim = db.session.get(Claim, claim_id)
        db.session.expunge(claim)
        return claim


def test_the_day_page_has_a_phone_friendly_code_field(client, desk):
    login(client, "staff@example.org")
    page = client.get("/staff/satama/day/").get_data(as_text=True)
    form = re.search(r'<form[^>]*action="/staff/satama/claims/"[^>]*>.*?</form>', page, re.S)
    assert form, "no code form on the day page"
    assert 'method="get"' in form.group(0)
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", form.group(0)).group(0)
    assert 'inputmode="text"' in field
    assert 'autocapitalize="characters"' in field
    assert 'autocomplete="off"' in field
    assert re.search(r'<label for="claim-code">', form.group(0))


@pytest.mark.parametrize("typed", ["acd34", "ACD34", " acd-34 ", "a c d 3 4"])
def test_the_field_leads_to_the_code_page_however_the_code_is_typed(client, desk, typed):
    login(client, "staff@example.org")
    response = client.get("/staff/satama/claims/", query_string={"code": typed})
    assert response.status_code == 302
    assert response.headers["Location"] == CODE_PAGE
    # The code page answers in lower case too.
    assert client.get("/staff/satama/claims/acd34").status_code == 200


def test_the_code_page_shows_the_task_the_time_taken_and_the_status(client, app, desk):
    login(client, "staff@example.org")
    page = client.get(CODE_PAGE).get_data(as_text=True)
    claim = _claim(app, desk["claim"])
    assert "Roskien keruu" in page
    assert "00.00–23.59" in page
    taken = claim.created_at.astimezone(_helsinki()).strftime("%H.%M")
    assert f"klo {taken}" in page
    assert "Paikka voimassa" in page
    assert "Saapui" in page  # the button
    assert "Vapauta paikka" in page


def test_arrived_is_marked_once_and_shown_with_its_time(client, app, desk):
    login(client, "staff@example.org")
    url = f"{CODE_PAGE}/{desk['claim']}/arrived"
    response = client.post(url, data={"csrf_token": token_of(client, CODE_PAGE)})
    assert response.status_code == 303
    assert response.headers["Location"] == CODE_PAGE
    claim = _claim(app, desk["claim"])
    arrived = claim.arrived_at.astimezone(_helsinki()).strftime("%H.%M")
    page = client.get(CODE_PAGE).get_data(as_text=True)
    assert f"Saapui klo {arrived}" in page
    assert "Merkitty saapuneeksi." in page  # the flash
    # A second tap (another phone, a reload) changes nothing and audits nothing more.
    client.post(url, data={"csrf_token": token_of(client, CODE_PAGE)})
    assert _claim(app, desk["claim"]).arrived_at == claim.arrived_at
    assert count_rows(app, AuditEvent, AuditEvent.action == "claim.arrive") == 1
    # Undone, it is gone.
    client.post(f"{CODE_PAGE}/{desk['claim']}/not-arrived", data={"csrf_token": token_of(client, CODE_PAGE)})
    assert _claim(app, desk["claim"]).arrived_at is None


def test_release_gives_the_place_back_and_the_page_says_so(client, app, desk):
    login(client, "staff@example.org")
    response = client.post(f"{CODE_PAGE}/{desk['claim']}/release", data={"csrf_token": token_of(client, CODE_PAGE)})
    assert response.status_code == 303
    assert response.headers["Location"] == CODE_PAGE
    assert _claim(app, desk["claim"]).status == ClaimStatus.RELEASED
    page = client.get(CODE_PAGE).get_data(as_text=True)
    assert "Paikka vapautettu" in page
    assert "Vapauta paikka" not in page
    board = client.get("/staff/satama/day/").get_data(as_text=True)
    assert re.search(r'data-field="free">3<', board)
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "claim.release"))
        assert event.user_email == "staff@example.org"


@pytest.mark.parametrize("code", ["QQQQQ", "FGH67", "JKM79", "!!", "x" * 60])
def test_an_unknown_old_or_other_sites_code_gives_a_kind_404_with_the_field(client, desk, code):
    login(client, "staff@example.org")
    response = client.get(f"/staff/satama/claims/{code}")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Koodia ei löytynyt." in page
    assert "Tarkista koodi" in page
    assert 'name="code"' in page


def test_an_empty_field_gives_the_kind_page_too(client, desk):
    login(client, "staff@example.org")
    response = client.get("/staff/satama/claims/?code=")
    assert response.status_code == 404
    assert 'name="code"' in response.get_data(as_text=True)


def test_who_may_see_and_use_the_code_page(client, app, desk):
    response = client.get(CODE_PAGE)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    for email, status in (("other@example.org", 403), ("worker@example.org", 403), ("admin@example.org", 200)):
        browser = app.test_client()
        login(browser, email)
        assert browser.get(CODE_PAGE).status_code == status, email
        assert browser.get("/staff/satama/claims/?code=ACD34").status_code == (302 if status == 200 else 403), email


def test_buttons_need_the_csrf_token_and_the_right_code(client, app, desk):
    login(client, "staff@example.org")
    assert client.post(f"{CODE_PAGE}/{desk['claim']}/release").status_code == 400
    token = token_of(client, CODE_PAGE)
    # The claim must be the code's: another code, or another site's claim, is a 404.
    assert (
        client.post(f"/staff/satama/claims/QQQQQ/{desk['claim']}/release", data={"csrf_token": token}).status_code
        == 404
    )
    assert client.post(f"{CODE_PAGE}/99999/arrived", data={"csrf_token": token}).status_code == 404
    assert _claim(app, desk["claim"]).status == ClaimStatus.ACTIVE
    assert count_rows(app, AuditEvent, AuditEvent.entity == "claim") == 0


def test_other_sites_staff_cannot_act_on_the_code(client, app, desk):
    login(client, "other@example.org")
    response = client.post(
        f"{CODE_PAGE}/{desk['claim']}/release", data={"csrf_token": token_of(client, "/staff/muu/day/")}
    )
    assert response.status_code == 403
    assert _claim(app, desk["claim"]).status == ClaimStatus.ACTIVE
