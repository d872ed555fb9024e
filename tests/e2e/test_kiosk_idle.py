"""Back to Finnish: a kiosk left in another language returns to the Finnish board by itself.

Playwright's clock stands in for the minutes nobody touches the screen: no sleeps.
"""

from playwright.sync_api import expect

BOARD_HEADING = "Tämän päivän tehtävät"


def test_the_board_left_in_swedish_returns_to_finnish_after_the_idle_time(board, live_server, kiosk):
    idle = live_server.app.config["KIOSK_IDLE_SECONDS"]
    kiosk.clock.install()
    kiosk.get_by_role("link", name="svenska").click()
    expect(kiosk.locator("html")).to_have_attribute("lang", "sv")
    kiosk.clock.run_for((idle - 10) * 1000)
    expect(kiosk.locator("html")).to_have_attribute("lang", "sv")  # someone may still be reading
    kiosk.clock.run_for(20 * 1000)
    expect(kiosk.locator("html")).to_have_attribute("lang", "fi")
    expect(kiosk).to_have_url(board.board)
    expect(kiosk.get_by_role("heading", name=BOARD_HEADING)).to_be_visible()


def test_a_touch_keeps_the_chosen_language(board, live_server, kiosk):
    idle = live_server.app.config["KIOSK_IDLE_SECONDS"]
    kiosk.clock.install()
    kiosk.get_by_role("link", name="English").click()
    expect(kiosk.locator("html")).to_have_attribute("lang", "en")
    kiosk.clock.run_for((idle - 10) * 1000)
    kiosk.mouse.click(5, 300)  # a touch on the board's margin
    kiosk.clock.run_for(20 * 1000)
    expect(kiosk.locator("html")).to_have_attribute("lang", "en")
