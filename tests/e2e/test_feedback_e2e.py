"""'Kerro miten meni' in Chromium: the board's entry, the keypad, three taps, thanks, back to the board."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import Task
from tests.e2e.helpers import KIOSK_LANDSCAPE, KIOSK_PORTRAIT, assert_accessible
from tests.factories import make_partner
from tests.helpers import feedback_rows

pytestmark = pytest.mark.e2e

ENTRY = "Kerro miten meni"
CODE_HEADING = "Onko sinulla koodi?"
QUESTIONS = (
    "Tuntuiko hyvältä tehdä jotain hyödyllistä?",
    "Saitko itse päättää, miten teit?",
    "Tunsitko olevasi osa porukkaa?",
)


@pytest.fixture
def claimed(board, live_server):
    """The board's task belongs to a partner, and a visitor has taken a place in it: their code."""
    with live_server.app.app_context():
        task = db.session.get(Task, board.task_id)
        task.partner = make_partner("Rannan ystävät ry")
        claim, _token = claim_place(task)
        db.session.commit()
        facts = SimpleNamespace(
            code=claim.code, site_id=task.site_id, partner_id=task.partner_id, today=task.site.today()
        )
        db.session.remove()
    return facts


def assert_fits(page: Page, *targets) -> None:
    """No sideways scrolling, and what the visitor must tap is on the screen without scrolling."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    for target in targets:
        expect(target).to_be_in_viewport()


def height(locator) -> float:
    return locator.bounding_box()["height"]


def answer_button(page: Page, word: str):
    return page.get_by_role("button", name=word, exact=True)


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [KIOSK_PORTRAIT, KIOSK_LANDSCAPE], ids=["portrait", "landscape"])
def test_a_visitor_with_a_code_answers_two_skips_one_and_is_back_on_the_board(
    claimed, board, kiosk, live_server, viewport
):
    kiosk.set_viewport_size(viewport)
    kiosk.get_by_role("link", name=ENTRY).click()

    expect(kiosk.get_by_role("heading", name=CODE_HEADING)).to_be_visible()
    field = kiosk.get_by_label("Koodi")
    expect(field).to_have_attribute("inputmode", "none")  # the keypad, not the system keyboard
    keys = kiosk.locator("[data-key]")
    expect(keys).to_have_count(25)
    assert min(height(keys.nth(i)) for i in range(25)) >= 48
    assert_fits(
        kiosk,
        keys.last,
        kiosk.get_by_role("button", name="Jatka koodin kanssa"),
        kiosk.get_by_role("link", name="Jatka ilman koodia"),
    )
    assert_accessible(kiosk)

    kiosk.get_by_role("button", name="Q", exact=True).click()
    kiosk.get_by_role("button", name="Pyyhi").click()
    for character in claimed.code:
        kiosk.get_by_role("button", name=character, exact=True).click()
    kiosk.get_by_role("button", name="7", exact=True).click()  # a sixth key does nothing
    expect(field).to_have_value(claimed.code)
    kiosk.get_by_role("button", name="Jatka koodin kanssa").click()

    for number, (question, choice) in enumerate(zip(QUESTIONS, ("Kyllä", "Ohita", "Vähän")), start=1):
        expect(kiosk.get_by_role("heading", name=question)).to_be_visible()
        expect(kiosk.get_by_text(f"Kysymys {number}/3")).to_be_visible()
        expect(kiosk.get_by_text("Koodi löytyi.")).to_be_visible()
        faces = [answer_button(kiosk, word) for word in ("Kyllä", "Vähän", "Ei")]
        assert min(height(face) for face in faces) >= 150, "answers are much bigger than a finger"
        skip = kiosk.get_by_role("button", name="Ohita")
        assert height(skip) >= 48
        assert_fits(kiosk, *faces, skip)
        assert_accessible(kiosk)
        answer_button(kiosk, choice).click()

    expect(kiosk.get_by_role("heading", name="Kiitos!")).to_be_visible()
    assert_accessible(kiosk)
    kiosk.get_by_role("link", name="Valmis").click()
    expect(kiosk).to_have_url(board.board)
    expect(kiosk.get_by_role("link", name=ENTRY)).to_be_visible()

    assert feedback_rows(live_server.app) == [
        (claimed.site_id, claimed.today, "cleanup", claimed.partner_id, 3, None, 2)
    ]


@pytest.mark.slow
def test_an_unknown_code_and_the_thanks_screen_that_returns_by_itself(claimed, board, kiosk, live_server):
    live_server.app.config["FEEDBACK_THANKS_SECONDS"] = 2
    kiosk.get_by_role("link", name=ENTRY).click()
    for character in "AAAAA":
        kiosk.get_by_role("button", name=character, exact=True).click()
    kiosk.get_by_role("button", name="Jatka koodin kanssa").click()
    expect(kiosk.get_by_text(re.compile("Tätä koodia ei löytynyt"))).to_be_visible()
    assert_accessible(kiosk)

    kiosk.get_by_role("link", name="Jatka ilman koodia").click()
    for question in QUESTIONS:
        expect(kiosk.get_by_role("heading", name=question)).to_be_visible()
        expect(kiosk.get_by_text("Koodi löytyi.")).to_have_count(0)
        answer_button(kiosk, "Ei").click()
    expect(kiosk.get_by_role("heading", name="Kiitos!")).to_be_visible()
    kiosk.wait_for_url(board.board)
    expect(kiosk.get_by_role("link", name=ENTRY)).to_be_visible()

    assert feedback_rows(live_server.app) == [(claimed.site_id, claimed.today, None, None, 1, 1, 1)]


def test_leaving_in_the_middle_stores_nothing(claimed, board, kiosk, live_server):
    kiosk.get_by_role("link", name=ENTRY).click()
    kiosk.get_by_role("link", name="Jatka ilman koodia").click()
    answer_button(kiosk, "Kyllä").click()
    expect(kiosk.get_by_role("heading", name=QUESTIONS[1])).to_be_visible()
    kiosk.get_by_role("link", name="Lopeta").click()
    expect(kiosk).to_have_url(board.board)
    assert feedback_rows(live_server.app) == []


def test_the_flow_works_without_javascript(claimed, board, browser, browser_context_args, live_server):
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    page = context.new_page()
    page.goto(board.enroll)
    page.get_by_role("link", name=ENTRY).click()
    expect(page.locator("[data-keypad]")).to_be_hidden()
    page.get_by_label("Koodi").fill(claimed.code.lower())
    page.get_by_role("button", name="Jatka koodin kanssa").click()
    for choice in ("Vähän", "Kyllä", "Ohita"):
        answer_button(page, choice).click()
    expect(page.get_by_role("heading", name="Kiitos!")).to_be_visible()
    context.close()
    assert feedback_rows(live_server.app) == [
        (claimed.site_id, claimed.today, "cleanup", claimed.partner_id, 2, 3, None)
    ]
