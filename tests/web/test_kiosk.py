"""The visitor's kiosk through the test client: enrollment, the board, taking a place, the receipt."""

import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from dropin import create_app
from dropin.claims.service import CODE_ALPHABET, CODE_LENGTH, claim_place, hash_token
from dropin.extensions import db
from dropin.kiosks import kiosk_cookie
from dropin.models import Claim, Kiosk, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimStatus
from dropin.models.task import TaskStatus
from dropin.qr import qr_data_uri
from tests.factories import make_kiosk, make_site, make_task
from tests.helpers import csrf_token, token_of

COOKIE = "dropin_kiosk"
ASK_STAFF = "Kysy henkilökunnalta"
JOIN = "Tule mukaan"
REFUSAL_NOTICES = {
    "full": "Tämä tehtävä on täynnä. Katso muita tehtäviä.",
    "cancelled": "Tämä tehtävä on peruttu.",
    "ended": "Tämä tehtävä on jo päättynyt.",
}


@pytest.fixture
def place(app):
    """A site with one open task of three places, a second site, and a kiosk of each not yet enrolled."""
    with app.app_context():
        site = make_site("testi")
        task = make_task(site, title="Roskien keruu", place="Rantapolku", capacity=3)
        other = make_site("toinen")
        other_task = make_task(other, title="Leipominen", category="baking")
        enrollment = make_kiosk(site)
        other_enrollment = make_kiosk(other)
        db.session.commit()
        return SimpleNamespace(
            task_id=task.id,
            other_task_id=other_task.id,
            kiosk_id=enrollment.kiosk.id,
            enroll_url=f"/kiosk/enroll/{enrollment.enroll_token}",
            other_enroll_url=f"/kiosk/enroll/{other_enrollment.enroll_token}",
            board="/kiosk/testi",
            details=f"/kiosk/testi/tasks/{task.id}",
            claim=f"/kiosk/testi/tasks/{task.id}/claim",
            receipt="/kiosk/testi/receipt",
            start=task.start_time,
            end=task.end_time,
        )


@pytest.fixture
def enrolled(client, place):
    """The client as an enrolled kiosk of site `testi`."""
    assert client.get(place.enroll_url).status_code == 302
    return client


def claims_of(app, task_id: int) -> list[Claim]:
    with app.app_context():
        claims = list(db.session.scalars(sa.select(Claim).where(Claim.task_id == task_id)))
        db.session.expunge_all()
        return claims


def take_place(client, place) -> str:
    """Open the details, press the join button like a browser; return where it led."""
    page = client.get(place.details).get_data(as_text=True)
    response = client.post(place.claim, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    return response.location


def receipt_token(client) -> str:
    with client.session_transaction() as session:
        return session["receipt"]


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


# --- enrollment ------------------------------------------------------------------------------


def test_enrollment_sets_a_long_lived_httponly_cookie_and_opens_the_board(client, place):
    response = client.get(place.enroll_url)
    assert response.status_code == 302
    assert urlsplit(response.location).path == place.board
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE + "=")]
    assert len(cookies) == 1
    attributes = [part.strip() for part in cookies[0].split(";")]
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes
    max_age = next(int(a.split("=", 1)[1]) for a in attributes if a.startswith("Max-Age="))
    assert max_age >= 5 * 365 * 86400
    assert client.get_cookie(COOKIE) is not None
    board = client.get(place.board).get_data(as_text=True)
    assert "kysy henkilökunnalta" not in board.lower()


def test_enrollment_token_works_once(client, app, place):
    assert client.get(place.enroll_url).status_code == 302
    assert client.get(place.enroll_url).status_code == 404
    other_browser = app.test_client()
    assert other_browser.get(place.enroll_url).status_code == 404
    assert other_browser.get_cookie(COOKIE) is None


@pytest.mark.parametrize("token", ["bogus", "x" * 43, "a" * 500])
def test_unknown_enrollment_token_is_404(client, place, token):
    response = client.get(f"/kiosk/enroll/{token}")
    assert response.status_code == 404
    assert client.get_cookie(COOKIE) is None


def test_revoked_kiosk_cannot_be_enrolled(client, app, place):
    with app.app_context():
        db.session.get(Kiosk, place.kiosk_id).revoked_at = utcnow()
        db.session.commit()
    assert client.get(place.enroll_url).status_code == 404


# --- who may take a place -----------------------------------------------------------------------


def assert_read_only(client, place):
    board = client.get(place.board)
    assert board.status_code == 200
    text = board.get_data(as_text=True)
    assert "Roskien keruu" in text
    assert "3/3 paikkaa vapaana" in text
    assert ASK_STAFF.lower() in text.lower()
    details = client.get(place.details)
    assert details.status_code == 200
    text = details.get_data(as_text=True)
    assert "Roskien keruu" in text
    assert ASK_STAFF in text
    assert JOIN not in text
    assert "<form" not in text


def assert_claim_refused(client, app, place, csrf: str):
    response = client.post(place.claim, data={"csrf_token": csrf})
    assert response.status_code == 403
    assert claims_of(app, place.task_id) == []


def enrolled_csrf(client, place) -> str:
    """A valid CSRF token of this browser's session, read from the enrolled details page."""
    return token_of(client, place.details)


def test_browser_that_is_not_enrolled_sees_tasks_read_only(client, app, place):
    assert_read_only(client, place)
    assert client.post(place.claim).status_code in (302, 403)
    assert claims_of(app, place.task_id) == []


def test_claim_without_the_kiosk_cookie_is_forbidden(enrolled, app, place):
    csrf = enrolled_csrf(enrolled, place)
    enrolled.delete_cookie(COOKIE)
    assert_read_only(enrolled, place)
    assert_claim_refused(enrolled, app, place, csrf)


def test_tampered_kiosk_cookie_is_not_enrolled(enrolled, app, place):
    csrf = enrolled_csrf(enrolled, place)
    payload, signature = enrolled.get_cookie(COOKIE).value.rsplit(".", 1)
    # The first character of the signature: all six of its bits count (the last one's may not).
    tampered = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    enrolled.set_cookie(COOKIE, tampered)
    assert_read_only(enrolled, place)
    assert_claim_refused(enrolled, app, place, csrf)


def test_kiosk_cookie_signed_with_another_key_is_not_enrolled(enrolled, app, place):
    csrf = enrolled_csrf(enrolled, place)
    with app.app_context():
        forged = kiosk_cookie(db.session.get(Kiosk, place.kiosk_id), "not-the-secret-key")
    enrolled.set_cookie(COOKIE, forged)
    assert_read_only(enrolled, place)
    assert_claim_refused(enrolled, app, place, csrf)


def test_kiosk_cookie_with_a_changed_cookie_secret_is_not_enrolled(enrolled, app, place):
    csrf = enrolled_csrf(enrolled, place)
    with app.app_context():
        db.session.get(Kiosk, place.kiosk_id).cookie_secret = "0" * 32
        db.session.commit()
    assert_read_only(enrolled, place)
    assert_claim_refused(enrolled, app, place, csrf)


def test_revoked_kiosk_is_not_enrolled(enrolled, app, place):
    csrf = enrolled_csrf(enrolled, place)
    with app.app_context():
        db.session.get(Kiosk, place.kiosk_id).revoked_at = utcnow()
        db.session.commit()
    assert_read_only(enrolled, place)
    assert_claim_refused(enrolled, app, place, csrf)


def test_kiosk_of_another_site_is_not_enrolled_here(client, app, place):
    assert client.get(place.other_enroll_url).status_code == 302
    other_details = client.get(f"/kiosk/toinen/tasks/{place.other_task_id}").get_data(as_text=True)
    assert JOIN in other_details  # enrolled at its own site
    assert_read_only(client, place)
    assert_claim_refused(client, app, place, csrf_token(other_details))


# --- taking a place -------------------------------------------------------------------------------


def test_enrolled_kiosk_takes_a_place_and_gets_a_receipt(enrolled, app, place):
    details = enrolled.get(place.details).get_data(as_text=True)
    assert JOIN in details
    assert ASK_STAFF not in details
    assert urlsplit(take_place(enrolled, place)).path == place.receipt
    token = receipt_token(enrolled)

    [claim] = claims_of(app, place.task_id)
    assert claim.status == ClaimStatus.ACTIVE
    assert claim.source == "kiosk"
    assert len(claim.code) == CODE_LENGTH
    assert set(claim.code) <= set(CODE_ALPHABET)
    receipt = enrolled.get(place.receipt)
    assert receipt.status_code == 200
    text = receipt.get_data(as_text=True)
    assert f">{claim.code}<" in text
    assert "Roskien keruu" in text
    assert "Rantapolku" in text
    assert f"{place.start:%H.%M}–{place.end:%H.%M}" in text
    assert f'src="{qr_data_uri(f"http://localhost/c/{token}")}"' in text

    assert len(token) >= 32
    assert claim.token_hash == hash_token(token)
    board = enrolled.get(place.board).get_data(as_text=True)
    assert "2/3 paikkaa vapaana" in board
    assert "3/3" not in board
    assert claim.code not in board


def test_receipt_qr_code_holds_the_phone_link(enrolled, app, place):
    take_place(enrolled, place)
    token = receipt_token(enrolled)
    page = enrolled.get(place.receipt).get_data(as_text=True)
    phone_url = f"http://localhost/c/{token}"
    assert qr_data_uri(phone_url) in page
    assert qr_data_uri(f"{phone_url}x") not in page
    phone = enrolled.get(urlsplit(phone_url).path)
    assert phone.status_code == 200
    assert "Roskien keruu" in phone.get_data(as_text=True)


def test_receipt_qr_code_uses_the_public_url_behind_a_proxy(enrolled, app, place):
    app.config["PUBLIC_URL"] = "https://dropin.example.fi/"
    take_place(enrolled, place)
    token = receipt_token(enrolled)
    assert qr_data_uri(f"https://dropin.example.fi/c/{token}") in enrolled.get(place.receipt).get_data(as_text=True)


def test_done_forgets_the_receipt_and_the_language(enrolled, app, place):
    take_place(enrolled, place)
    assert html_lang(enrolled.get(place.receipt + "?lang=sv")) == "sv"
    response = enrolled.get("/kiosk/testi/done")
    assert response.status_code == 302
    assert urlsplit(response.location).path == place.board
    with enrolled.session_transaction() as session:
        assert "receipt" not in session
        assert "lang" not in session
    again = enrolled.get(place.receipt)
    assert again.status_code == 302
    assert urlsplit(again.location).path == place.board
    assert html_lang(enrolled.get(place.board)) == "fi"
    assert len(claims_of(app, place.task_id)) == 1  # the place is still taken


def test_board_forgets_the_receipt_too(enrolled, place):
    take_place(enrolled, place)
    enrolled.get(place.board)
    assert urlsplit(enrolled.get(place.receipt).location).path == place.board


@pytest.mark.parametrize(
    ("answer", "stored"), [("yes", True), ("no", False), ("maybe", None), ("", None), ("True", None)]
)
def test_first_time_answer(enrolled, app, place, answer, stored):
    take_place(enrolled, place)
    receipt = enrolled.get(place.receipt).get_data(as_text=True)
    assert "ensimmäistä kertaa" in receipt
    response = enrolled.post(
        "/kiosk/testi/receipt/first-time", data={"csrf_token": csrf_token(receipt), "answer": answer}
    )
    assert response.status_code == 302
    assert urlsplit(response.location).path == place.receipt
    [claim] = claims_of(app, place.task_id)
    assert claim.first_time is stored
    assert "Kiitos vastauksesta!" in enrolled.get(response.location).get_data(as_text=True)


def test_first_time_answer_needs_the_csrf_token(enrolled, app, place):
    take_place(enrolled, place)
    enrolled.post("/kiosk/testi/receipt/first-time", data={"answer": "yes"})
    [claim] = claims_of(app, place.task_id)
    assert claim.first_time is None


def _fill(task: Task) -> None:
    for _ in range(task.capacity):
        claim_place(task)


def _cancel(task: Task) -> None:
    task.status, task.cancel_reason = TaskStatus.CANCELLED, "Sataa kaatamalla."


def _end(task: Task) -> None:
    task.date = task.date - timedelta(days=1)


@pytest.mark.parametrize(("change", "reason"), [(_fill, "full"), (_cancel, "cancelled"), (_end, "ended")])
def test_place_that_went_while_the_details_were_open_is_refused(enrolled, app, place, change, reason):
    page = enrolled.get(place.details).get_data(as_text=True)
    with app.app_context():
        change(db.session.get(Task, place.task_id))
        db.session.commit()
    before = len(claims_of(app, place.task_id))
    response = enrolled.post(place.claim, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    where = urlsplit(response.location)
    assert where.path == place.details
    assert not where.query  # the details page tells why by itself
    assert len(claims_of(app, place.task_id)) == before
    with enrolled.session_transaction() as session:
        assert "receipt" not in session
    details = enrolled.get(response.location).get_data(as_text=True)
    assert JOIN not in details
    assert "<form" not in details
    assert REFUSAL_NOTICES[reason] in details


def test_full_task_shows_full_on_the_board(enrolled, app, place):
    with app.app_context():
        _fill(db.session.get(Task, place.task_id))
        db.session.commit()
    assert "Täynnä" in enrolled.get(place.board).get_data(as_text=True)


# --- CSRF: a kiosk never shows a visitor an error page --------------------------------------------


@pytest.mark.parametrize("data", [{}, {"csrf_token": "forged"}, {"csrf_token": "IjAwMDAi.aaaa.bbbb"}])
def test_claim_without_a_valid_csrf_token_returns_to_the_board(enrolled, app, place, data):
    enrolled.get(place.details)
    response = enrolled.post(place.claim, data=data)
    assert response.status_code == 302
    assert urlsplit(response.location).path == place.board
    assert claims_of(app, place.task_id) == []


def test_csrf_token_of_another_browser_is_not_accepted(enrolled, app, place):
    with app.app_context():
        second = make_kiosk(db.session.get(Task, place.task_id).site, "Toinen näyttö")
        db.session.commit()
    other = app.test_client()
    other.get(f"/kiosk/enroll/{second.enroll_token}")
    foreign = csrf_token(other.get(place.details).get_data(as_text=True))
    enrolled.get(place.details)
    response = enrolled.post(place.claim, data={"csrf_token": foreign})
    assert urlsplit(response.location).path == place.board
    assert claims_of(app, place.task_id) == []


# --- unknown addresses ------------------------------------------------------------------------------


def test_unknown_site_is_a_finnish_404_page(client, place):
    response = client.get("/kiosk/ei-ole")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Sivua ei löytynyt." in response.get_data(as_text=True)


def test_task_of_another_site_is_404(enrolled, app, place):
    url = f"/kiosk/testi/tasks/{place.other_task_id}"
    assert enrolled.get(url).status_code == 404
    csrf = enrolled_csrf(enrolled, place)
    assert enrolled.post(url + "/claim", data={"csrf_token": csrf}).status_code == 404
    assert claims_of(app, place.other_task_id) == []


@pytest.mark.parametrize(
    "task_id", ["999999", "2147483648", "9223372036854775808", "1" * 40, "abc", "-1", "1.5", "0x1", "%00"]
)
def test_odd_task_ids_are_404_not_500(enrolled, place, task_id):
    assert enrolled.get(f"/kiosk/testi/tasks/{task_id}").status_code == 404
    csrf = enrolled_csrf(enrolled, place)
    assert enrolled.post(f"/kiosk/testi/tasks/{task_id}/claim", data={"csrf_token": csrf}).status_code == 404


# --- language -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_language_switch_is_kept_in_the_session(client, place, lang):
    assert html_lang(client.get(place.board)) == "fi"
    assert html_lang(client.get(f"{place.board}?lang={lang}")) == lang
    with client.session_transaction() as session:
        assert session["lang"] == lang
    assert html_lang(client.get(place.details)) == lang
    assert html_lang(client.get(place.board)) == lang


@pytest.mark.parametrize("lang", ["de", "", "fi-FI", "../sv"])
def test_unknown_language_is_400_in_finnish(client, place, lang):
    response = client.get(f"{place.board}?lang={lang}")
    assert response.status_code == 400
    assert html_lang(response) == "fi"
    with client.session_transaction() as session:
        assert session.get("lang") is None


@pytest.mark.parametrize(("environment", "seconds"), [(None, 30), ("12", 12)])
def test_the_receipt_countdown_seconds_come_from_the_settings(app_config, monkeypatch, environment, seconds):
    if environment is not None:
        monkeypatch.setenv("DROPIN_KIOSK_RECEIPT_SECONDS", environment)
    assert create_app(app_config).config["KIOSK_RECEIPT_SECONDS"] == seconds


def test_the_receipt_hands_its_seconds_to_its_script(enrolled, app, place):
    app.config["KIOSK_RECEIPT_SECONDS"] = 17
    take_place(enrolled, place)
    page = enrolled.get(place.receipt).get_data(as_text=True)
    assert 'data-receipt-seconds="17"' in page
    assert 'src="/static/js/receipt.js?v=' in page
    assert '<meta http-equiv="refresh" content="17;url=/kiosk/testi/done">' in page  # without scripts
