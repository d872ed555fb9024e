"""An error page on a kiosk goes back to the board by itself: a wrong address, a database outage.

A small script returns after ERROR_RETURN_SECONDS (15) without a touch; Playwright's clock stands
in for the wait: no sleeps.
"""

import os
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect

from dropin.extensions import db
from tests.e2e.helpers import assert_accessible

BOARD_HEADING = "Tämän päivän tehtävät"
OUTAGE_HEADING = "Palvelu on hetken poissa käytöstä. Yritä hetken päästä uudelleen."


@contextmanager
def database_away(app):
    """The SQLite file cannot be opened (a folder stands where it was) until the block ends."""
    path = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    with app.app_context():
        db.engine.dispose()  # the open connections would still reach the moved file
    os.rename(path, path.with_name("away.sqlite"))
    path.mkdir()
    try:
        yield
    finally:
        path.rmdir()
        os.rename(path.with_name("away.sqlite"), path)


def test_a_wrong_address_on_the_kiosk_returns_to_the_board(board, live_server, kiosk):
    kiosk.clock.install()
    kiosk.goto(live_server("/kiosk/satama/tasks/999999"))
    expect(kiosk.get_by_role("heading", name="Sivua ei löytynyt.")).to_be_visible()
    kiosk.clock.run_for(10_000)
    kiosk.mouse.click(5, 300)  # someone reading: the wait starts over
    kiosk.clock.run_for(10_000)
    expect(kiosk.get_by_role("heading", name="Sivua ei löytynyt.")).to_be_visible()
    kiosk.clock.run_for(6_000)
    expect(kiosk).to_have_url(board.board)
    expect(kiosk.get_by_role("heading", name=BOARD_HEADING)).to_be_visible()


def test_a_database_outage_shows_a_calm_page_until_the_board_is_back(board, live_server, kiosk):
    kiosk.clock.install()
    with database_away(live_server.app):
        kiosk.goto(board.details)
        expect(kiosk.get_by_role("heading", name=OUTAGE_HEADING)).to_be_visible()
        # It keeps trying by itself: after a return it is still the calm page, not a browser error.
        with kiosk.expect_navigation():
            kiosk.clock.run_for(16_000)
        expect(kiosk).to_have_url(live_server("/kiosk/satama/done"))
        expect(kiosk.get_by_role("heading", name=OUTAGE_HEADING)).to_be_visible()
    kiosk.clock.run_for(16_000)
    expect(kiosk).to_have_url(board.board)
    expect(kiosk.get_by_role("heading", name=BOARD_HEADING)).to_be_visible()
    # Still enrolled: the feedback entry shows only on an enrolled kiosk.
    expect(kiosk.get_by_role("link", name="Kerro miten meni")).to_be_visible()


def test_the_kiosk_error_page_is_accessible(board, live_server, kiosk):
    kiosk.clock.install()  # stands still: time for axe
    kiosk.goto(live_server("/kiosk/satama/tasks/999999"))
    expect(kiosk.get_by_role("heading", name="Sivua ei löytynyt.")).to_be_visible()
    expect(kiosk.get_by_role("link", name="Takaisin tehtäviin")).to_be_visible()
    assert_accessible(kiosk)
