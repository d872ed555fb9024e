"""'Kerro miten meni' through the test client: who may answer, what a code ties, throttling, forgetting."""

import logging
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest

from dropin.claims.service import CODE_ALPHABET, claim_place, hash_token
from dropin.extensions import db
from dropin.models import Claim, Kiosk, Site
from dropin.models.base import utcnow
from tests.factories import make_kiosk, make_partner, make_site, make_task
from tests.helpers import csrf_token, feedback_rows

COOKIE = "dropin_kiosk"
ENTRY = "Kerro miten meni"
START, CODE, THANKS = "/kiosk/testi/feedback", "/kiosk/testi/feedback/code", "/kiosk/testi/feedback/thanks"
UNKNOWN = "Tätä koodia ei löytynyt"


@pytest.fixture
def place(app):
    """Site `testi` with a partner's task and a claim of it; site `toinen`; a claim of yesterday."""
    with app.app_context():
        site, other = make_site("testi"), make_site("toinen")
        partner = make_partner("Rannan ystävät ry")
        task = make_task(site, category="cleanup", partner=partner)
        claim, _token = claim_place(task)
        other_claim, _token = claim_place(make_task(other, category="baking", partner=make_partner("Toinen ry")))
        yesterday = make_task(site, date=site.today() - timedelta(days=1), category="cooking", partner=partner)
        # claim_place refuses a past day; the code is made different from today's by hand.
        old_code = next(c * 5 for c in CODE_ALPHABET if c * 5 != claim.code)
        db.session.add(Claim(task=yesterday, code=old_code, token_hash=hash_token("old")))
        enrollment, second, other_enrollment = make_kiosk(site), make_kiosk(site, "Toinen näyttö"), make_kiosk(other)
        db.session.commit()
        return SimpleNamespace(
            site_id=site.id,
            partner_id=partner.id,
            code=claim.code,
            other_code=other_claim.code,
            old_code=old_code,
            kiosk_id=enrollment.kiosk.id,
            enroll=f"/kiosk/enroll/{enrollment.enroll_token}",
            second_enroll=f"/kiosk/enroll/{second.enroll_token}",
            other_enroll=f"/kiosk/enroll/{other_enrollment.enroll_token}",
        )


@pytest.fixture
def kiosk(client, place):
    """The client as an enrolled kiosk of site `testi`."""
    assert client.get(place.enroll).status_code == 302
    return client


def open_flow(client) -> str:
    """Tap the board's entry; return the CSRF token of the code step."""
    response = client.get(START, follow_redirects=True)
    assert response.request.path == CODE
    return csrf_token(response.get_data(as_text=True))


def tell(client, token: str, answers=("3", "2", "1"), code: str | None = None):
    """Walk the flow like a browser: an optional code, then one tap per question."""
    if code is not None:
        client.post(CODE, data={"csrf_token": token, "code": code})
    response = None
    for question, value in zip(("useful", "decide", "community"), answers):
        response = client.post(f"/kiosk/testi/feedback/{question}", data={"csrf_token": token, "answer": value})
    return response


def today(app, place):
    with app.app_context():
        return db.session.get(Site, place.site_id).today()


def kept_flow(client):
    with client.session_transaction() as session:
        return session.get("feedback")


# --- who may answer --------------------------------------------------------------------------------


def test_the_board_offers_the_flow_only_on_an_enrolled_kiosk(client, place):
    assert ENTRY not in client.get("/kiosk/testi").get_data(as_text=True)
    client.get(place.enroll)
    board = client.get("/kiosk/testi").get_data(as_text=True)
    assert ENTRY in board
    assert f'href="{START}"' in board


@pytest.mark.parametrize("path", [START, CODE, "/kiosk/testi/feedback/useful", THANKS])
def test_a_browser_that_is_not_enrolled_is_sent_to_the_board(client, place, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.location == "/kiosk/testi"


def test_answers_without_the_kiosk_cookie_are_forbidden(kiosk, app, place):
    token = open_flow(kiosk)
    kiosk.delete_cookie(COOKIE)
    assert kiosk.post(CODE, data={"csrf_token": token, "code": place.code}).status_code == 403
    for question in ("useful", "decide", "community"):
        response = kiosk.post(f"/kiosk/testi/feedback/{question}", data={"csrf_token": token, "answer": "3"})
        assert response.status_code == 403
    assert feedback_rows(app) == []


def test_a_revoked_kiosk_cannot_answer(kiosk, app, place):
    token = open_flow(kiosk)
    with app.app_context():
        db.session.get(Kiosk, place.kiosk_id).revoked_at = utcnow()
        db.session.commit()
    assert tell(kiosk, token).status_code == 403
    assert feedback_rows(app) == []


def test_a_kiosk_of_another_site_cannot_answer_here(client, app, place):
    client.get(place.other_enroll)
    token = csrf_token(client.get("/kiosk/toinen/feedback", follow_redirects=True).get_data(as_text=True))
    assert ENTRY not in client.get("/kiosk/testi").get_data(as_text=True)
    assert tell(client, token).status_code == 403
    assert feedback_rows(app) == []


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_a_form_without_a_valid_csrf_token_returns_to_the_board(kiosk, app, place, token):
    open_flow(kiosk)
    data = {"answer": "3"} if token is None else {"answer": "3", "csrf_token": token}
    for question in ("useful", "decide", "community"):
        response = kiosk.post(f"/kiosk/testi/feedback/{question}", data=data)
        assert response.status_code == 302
        assert response.location == "/kiosk/testi"
    response = kiosk.post(CODE, data={**data, "code": place.code})
    assert response.status_code == 302
    assert response.location == "/kiosk/testi"
    assert feedback_rows(app) == []


# --- the flow --------------------------------------------------------------------------------------


def test_one_question_a_screen_with_progress_three_faces_and_a_skip(kiosk, place):
    token = open_flow(kiosk)
    for number, (question, text) in enumerate(
        [
            ("useful", "Tuntuiko hyvältä tehdä jotain hyödyllistä?"),
            ("decide", "Saitko itse päättää, miten teit?"),
            ("community", "Tunsitko olevasi osa porukkaa?"),
        ],
        start=1,
    ):
        page = kiosk.get(f"/kiosk/testi/feedback/{question}").get_data(as_text=True)
        assert text in page
        assert f"{number}/3" in page
        for value, face, word in (("3", "yes", "Kyllä"), ("2", "somewhat", "Vähän"), ("1", "no", "Ei")):
            image = rf'<img src="[^"]*answer-{face}\.svg(\?v=[^"]*)?" alt=""[^>]*>'
            pattern = rf'value="{value}">\s*{image}\s*<span>{word}</span>'
            assert re.search(pattern, page)
        assert 'value="skip">Ohita<' in page
        assert 'data-idle-url="/kiosk/testi/feedback/leave"' in page
        kiosk.post(f"/kiosk/testi/feedback/{question}", data={"csrf_token": token, "answer": "skip"})


def test_the_code_step_has_a_plain_field_and_a_keypad_of_the_code_alphabet(kiosk):
    page = kiosk.get(CODE).get_data(as_text=True)
    assert "Onko sinulla koodi?" in page
    assert "Voit kirjoittaa sen, jos haluat." in page
    assert re.search(r'<input[^>]*name="code"[^>]*type="text"', page)
    assert "".join(re.findall(r'data-key="(.)"', page)) == CODE_ALPHABET
    assert re.search(r'<div class="keypad"[^>]*hidden>', page), "the keypad waits for keypad.js"
    assert "Jatka ilman koodia" in page


def test_a_known_code_ties_the_answers_to_the_tasks_category_and_partner(kiosk, app, place):
    token = open_flow(kiosk)
    response = kiosk.post(CODE, data={"csrf_token": token, "code": place.code.lower()})
    assert response.location == "/kiosk/testi/feedback/useful"
    assert "Koodi löytyi." in kiosk.get(response.location).get_data(as_text=True)
    response = tell(kiosk, token, ("3", "skip", "2"))
    assert response.location == THANKS
    assert feedback_rows(app) == [(place.site_id, today(app, place), "cleanup", place.partner_id, 3, None, 2)]


def test_an_unknown_code_gets_a_gentle_word_and_a_way_on_without_it(kiosk, app, place):
    token = open_flow(kiosk)
    response = kiosk.post(CODE, data={"csrf_token": token, "code": "ÖÖÖÖÖ"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert UNKNOWN in page
    assert "ÖÖÖÖÖ" not in page, "an empty field to try again; the screen shows no code"
    assert 'href="/kiosk/testi/feedback/useful"' in page
    assert "Jatka ilman koodia" in page
    tell(kiosk, token, ("1", "1", "1"))
    assert feedback_rows(app) == [(place.site_id, today(app, place), None, None, 1, 1, 1)]


@pytest.mark.parametrize("which", ["other_code", "old_code"], ids=["another-site", "another-day"])
def test_a_code_of_another_site_or_another_day_is_ignored(kiosk, app, place, which):
    token = open_flow(kiosk)
    page = kiosk.post(CODE, data={"csrf_token": token, "code": getattr(place, which)}).get_data(as_text=True)
    assert UNKNOWN in page
    tell(kiosk, token, ("2", "2", "2"))
    assert feedback_rows(app) == [(place.site_id, today(app, place), None, None, 2, 2, 2)]


def test_an_empty_code_just_goes_on(kiosk, place):
    token = open_flow(kiosk)
    response = kiosk.post(CODE, data={"csrf_token": token, "code": "  "})
    assert response.location == "/kiosk/testi/feedback/useful"


def test_all_skipped_stores_nothing_and_still_thanks(kiosk, app, place):
    token = open_flow(kiosk)
    response = tell(kiosk, token, ("skip", "skip", "skip"), code=place.code)
    assert response.location == THANKS
    assert "Kiitos!" in kiosk.get(THANKS).get_data(as_text=True)
    assert feedback_rows(app) == []


@pytest.mark.parametrize("value", ["4", "0", "", "yes", "3; DROP TABLE feedback"])
def test_an_answer_that_is_no_answer_shows_the_question_again(kiosk, app, place, value):
    token = open_flow(kiosk)
    for question in ("useful", "decide", "community"):
        response = kiosk.post(f"/kiosk/testi/feedback/{question}", data={"csrf_token": token, "answer": value})
        assert response.location == f"/kiosk/testi/feedback/{question}"
    assert feedback_rows(app) == []


def test_thanks_returns_to_the_board_by_itself(kiosk, app):
    app.config["FEEDBACK_THANKS_SECONDS"] = 7
    page = kiosk.get(THANKS).get_data(as_text=True)
    assert "Kiitos!" in page
    assert 'data-return-seconds="7" data-return-url="/kiosk/testi/done"' in page
    assert '<noscript><meta http-equiv="refresh" content="7;url=/kiosk/testi/done"></noscript>' in page


# --- forgetting ------------------------------------------------------------------------------------


def test_the_session_forgets_the_answers_and_the_code_at_the_end(kiosk, app, place):
    token = open_flow(kiosk)
    kiosk.post(CODE, data={"csrf_token": token, "code": place.code})
    kiosk.post("/kiosk/testi/feedback/useful", data={"csrf_token": token, "answer": "3"})
    assert kept_flow(kiosk) == {"code": place.code, "answers": {"useful": 3}}
    tell(kiosk, token)
    assert kept_flow(kiosk) is None


def test_leaving_forgets_the_answers_and_goes_back_to_the_board(kiosk, app, place):
    token = open_flow(kiosk)
    kiosk.post("/kiosk/testi/feedback/useful", data={"csrf_token": token, "answer": "3"})
    response = kiosk.get("/kiosk/testi/feedback/leave")
    assert response.location == "/kiosk/testi/done"
    assert kept_flow(kiosk) is None
    assert feedback_rows(app) == []


def test_the_board_entry_starts_afresh_after_an_abandoned_flow(kiosk, app, place):
    token = open_flow(kiosk)
    kiosk.post(CODE, data={"csrf_token": token, "code": place.code})
    kiosk.post("/kiosk/testi/feedback/useful", data={"csrf_token": token, "answer": "3"})
    # The next visitor taps the entry on the board and answers only the last question.
    token = open_flow(kiosk)
    assert kept_flow(kiosk) is None
    kiosk.post("/kiosk/testi/feedback/community", data={"csrf_token": token, "answer": "1"})
    assert feedback_rows(app) == [(place.site_id, today(app, place), None, None, None, None, 1)]


def test_nothing_about_the_visitor_reaches_the_logs(kiosk, app, place, caplog):
    app.config["FEEDBACK_RATE_LIMIT"] = "1 per hour"
    caplog.set_level(logging.DEBUG)
    for _ in range(2):
        token = open_flow(kiosk)
        tell(kiosk, token, code=place.code)
    # SQL echo is an operator's debugging switch, not a log: the application's own records only.
    logged = " ".join(r.getMessage() for r in caplog.records if not r.name.startswith("sqlalchemy"))
    assert place.code not in logged
    assert place.code.lower() not in logged


# --- throttling ------------------------------------------------------------------------------------


def test_over_the_limit_the_visitor_is_thanked_and_nothing_is_stored(kiosk, app, place):
    app.config["FEEDBACK_RATE_LIMIT"] = "2 per hour"
    for _ in range(3):
        token = open_flow(kiosk)
        response = tell(kiosk, token)
        assert response.status_code == 302
        assert response.location == THANKS
        page = kiosk.get(THANKS)
        assert page.status_code == 200
        assert "Kiitos!" in page.get_data(as_text=True)
    assert len(feedback_rows(app)) == 2
    assert kept_flow(kiosk) is None


def test_only_the_saving_tap_counts_and_each_kiosk_has_its_own_limit(kiosk, app, place):
    app.config["FEEDBACK_RATE_LIMIT"] = "1 per hour"
    token = open_flow(kiosk)
    for question in ("useful", "decide", "useful", "decide"):  # going back and forth is free
        kiosk.post(f"/kiosk/testi/feedback/{question}", data={"csrf_token": token, "answer": "2"})
    kiosk.post("/kiosk/testi/feedback/community", data={"csrf_token": token, "answer": "2"})
    second = app.test_client()
    second.get(place.second_enroll)
    tell(second, open_flow(second))
    tell(kiosk, open_flow(kiosk))  # over this kiosk's limit
    assert len(feedback_rows(app)) == 2


def test_over_the_code_limit_the_flow_goes_on_without_any_code(kiosk, app, place):
    app.config["FEEDBACK_CODE_RATE_LIMIT"] = "2 per hour"
    token = open_flow(kiosk)
    assert UNKNOWN in kiosk.post(CODE, data={"csrf_token": token, "code": "ÖÖÖÖÖ"}).get_data(as_text=True)
    kiosk.post(CODE, data={"csrf_token": token, "code": place.code})
    assert kept_flow(kiosk)["code"] == place.code
    # A third try from this screen within the hour: no guessing codes here, and no error either.
    response = kiosk.post(CODE, data={"csrf_token": token, "code": place.code})
    assert response.status_code == 302
    assert response.location == "/kiosk/testi/feedback/useful"
    tell(kiosk, token)
    assert feedback_rows(app) == [(place.site_id, today(app, place), None, None, 3, 2, 1)]
