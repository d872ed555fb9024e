"""The details page's status pill wears the state's colour: a full task is not shown in green."""

from playwright.sync_api import expect

from tests.e2e.helpers import fill_task


def _pill_colour(page) -> str:
    pill = page.locator(".details-places")
    expect(pill).to_be_visible()
    return pill.evaluate("element => getComputedStyle(element).backgroundColor")


def test_a_full_tasks_pill_is_not_the_open_green(board, live_server, kiosk):
    kiosk.goto(board.details)
    open_colour = _pill_colour(kiosk)
    fill_task(live_server.app, board.task_id)
    kiosk.reload()
    expect(kiosk.locator(".details-places")).to_have_class("details-places places-full")
    assert _pill_colour(kiosk) != open_colour
