"""Back to Finnish: a kiosk left in another language returns to the Finnish board by itself.

Playwright's clock stands in for the minutes nobody touches the screen: no sleeps.
"""

import pytest
from playwright.sync_api import expect

BOARD_HEADING = "Tämän päivän tehtävät"
LANGUAGES = {"svenska": "sv", "English": "en"}


@pytest.fixture
def left_in(live_server, kiosk):
    """Switch the kiosk's board to a language under Playwright's clock; returns the idle seconds."""

    def switch(language: str) -> int:
        kiosk.clock.install()
        kiosk.get_by_role("link", name=language).click()
        expect(kiosk.locator("html")).to_have_attribute("lang", LANGUAGES[language])
        return live_server.app.config["KIOSK_IDLE_SECONDS"]

    return switch


def test_the_board_left_in_swedish_returns_to_finnish_after_the_idle_time(board, kiosk, left_in):
    idle = left_in("svenska")
    kiosk.clock.run_for((idle - 10) * 1000)
    expect(kiosk.locator("html")).to_have_attribute("lang", "sv")  # someone may still be reading
    kiosk.clock.run_for(20 * 1000)
    expect(kiosk.locator("html")).to_have_attribute("lang", "fi")
    expect(kiosk).to_have_url(board.board)
    expect(kiosk.get_by_role("heading", name=BOARD_HEADING)).to_be_visible()


def test_a_touch_keeps_the_chosen_language(kiosk, left_in):
    idle = left_in("English")
    kiosk.clock.run_for((idle - 10) * 1000)
    kiosk.mouse.click(5, 300)  # a touch on the board's margin
    kiosk.clock.run_for(20 * 1000)
    expect(kiosk.locator("html")).to_have_attribute("lang", "en")
