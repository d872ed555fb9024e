"""axe-core finds nothing on the visitor's pages, on the kiosk's portrait screen and on a phone."""

import re
from datetime import time

import pytest
from playwright.sync_api import expect

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import Task
from dropin.models.claim import ClaimStatus
from dropin.models.task import TaskStatus
from tests.e2e.helpers import KIOSK_PORTRAIT, PHONE, assert_accessible
from tests.factories import make_partner, make_task

pytestmark = pytest.mark.e2e


@pytest.fixture(params=[KIOSK_PORTRAIT, PHONE], ids=["kiosk-portrait", "phone"])
def viewport(request, page):
    page.set_viewport_size(request.param)
    return request.param


@pytest.fixture
def every_state(board, live_server):
    """Besides the open task: a full one, a cancelled one with its reason, a closed one, an ended one.

    Greyed-out and red cards are where contrast goes wrong first.
    """
    with live_server.app.app_context():
        site = db.session.get(Task, board.task_id).site
        partner = make_partner("Rannan ystävät ry")
        full = make_task(
            site,
            title="Lettujen paisto",
            category="cooking",
            capacity=1,
            partner=partner,
            bring="Esiliina",
            provided="Työhanskat",
            physical_demand="moderate",
        )
        claim_place(full)
        make_task(
            site,
            title="Pihan haravointi",
            category="gardening",
            setting="outdoor",
            status=TaskStatus.CANCELLED,
            cancel_reason="Sadetta luvassa. Piha haravoidaan toisena päivänä.",
        )
        make_task(
            site,
            title="Varaston järjestely",
            category="other",
            status=TaskStatus.CLOSED,
            physical_demand="heavy",
            meal_included=False,
        )
        if site.now().time() >= time(0, 2):
            make_task(site, title="Aamun leivonta", category="baking", start_time=time(0, 0), end_time=time(0, 1))
        site.meal_time = time(12, 0)
        db.session.commit()
        db.session.remove()
    return board


def phone_link(live_server, board, change=None) -> str:
    """A phone page's URL for a place taken in the board's task; `change(task, claim)` before commit."""
    with live_server.app.app_context():
        task = db.session.get(Task, board.task_id)
        claim, token = claim_place(task)
        if change:
            change(task, claim)
        db.session.commit()
        db.session.remove()
    return live_server(f"/c/{token}")


def test_board_of_an_enrolled_kiosk(every_state, kiosk, viewport):
    expect(kiosk.get_by_role("link", name=re.compile("Roskien keruu"))).to_contain_text("3/3")
    expect(kiosk.get_by_text("Sadetta luvassa.")).to_be_visible()
    assert_accessible(kiosk)


def test_board_of_a_browser_that_is_not_enrolled(every_state, page, viewport):
    page.goto(every_state.board)
    expect(page.get_by_text(re.compile("kysy henkilökunnalta", re.IGNORECASE))).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("title", ["Roskien keruu", "Lettujen paisto", "Pihan haravointi", "Varaston järjestely"])
def test_details(every_state, kiosk, viewport, title):
    kiosk.get_by_role("link", name=re.compile(title)).click()
    expect(kiosk.get_by_role("heading", name=title)).to_be_visible()
    assert_accessible(kiosk)


def test_details_for_a_browser_that_is_not_enrolled(board, page, viewport):
    page.goto(board.details)
    expect(page.get_by_text("Kysy henkilökunnalta", exact=True)).to_be_visible()
    assert_accessible(page)


def test_receipt(every_state, kiosk, viewport):
    kiosk.get_by_role("link", name=re.compile("Roskien keruu")).click()
    kiosk.get_by_role("button", name=re.compile("Tule mukaan")).click()
    expect(kiosk.get_by_role("heading", name="Tervetuloa mukaan!")).to_be_visible()
    assert_accessible(kiosk)
    kiosk.get_by_role("button", name="En, olen ollut ennenkin").click()
    expect(kiosk.get_by_text("Kiitos vastauksesta!")).to_be_visible()
    assert_accessible(kiosk)


@pytest.mark.parametrize(("lang", "heading"), [("sv", "Dagens uppgifter"), ("en", "Today's tasks")])
def test_board_in_other_languages(every_state, kiosk, viewport, lang, heading):
    kiosk.goto(f"{every_state.board}?lang={lang}")
    expect(kiosk.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(kiosk)


def test_phone_page_and_release_confirmation(board, live_server, page, viewport):
    page.goto(phone_link(live_server, board))
    expect(page.get_by_text("Olet mukana")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Peru osallistuminen").click()
    expect(page.get_by_role("heading", name="Perutaanko osallistuminen?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Kyllä, peru osallistuminen").click()
    expect(page.get_by_text("Osallistuminen on peruttu")).to_be_visible()
    assert_accessible(page)


def _cancel(task: Task, claim) -> None:
    task.status, task.cancel_reason = TaskStatus.CANCELLED, "Myrskyvaroitus: ranta on suljettu tänään."
    claim.status = ClaimStatus.CANCELLED


def test_phone_page_of_a_cancelled_task(board, live_server, page, viewport):
    page.goto(phone_link(live_server, board, _cancel))
    expect(page.get_by_text("Tehtävä on peruttu")).to_be_visible()
    assert_accessible(page)


def test_error_page(board, page, viewport):
    page.goto(board.board.replace("/satama", "/ei-ole"))
    expect(page.get_by_role("heading", name="Sivua ei löytynyt.")).to_be_visible()
    assert_accessible(page)
