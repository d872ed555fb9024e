"""The board keeps itself up to date without reloading, and waits calmly while the server is away.

Polling is the subject here, so these tests run on real time (the board asks every 4 s, as in
production): a place taken on another screen must show within 5 s, a restarted server within 10 s.
"""

import re
import threading

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from waitress import wasyncore
from waitress.server import create_server

from dropin.extensions import db
from dropin.models import Task
from tests.e2e.helpers import KIOSK_LANDSCAPE, assert_accessible, fill_task
from tests.e2e.test_board import seed  # noqa: F401 (a fixture)
from tests.e2e.test_kiosk_errors import database_away
from tests.factories import make_kiosk

pytestmark = pytest.mark.e2e

PAUSED = "Liittyminen on hetken tauolla. Yritämme uudelleen itsestään."
PAUSED_SV = "Anmälan är pausad en stund. Vi försöker igen automatiskt."


class RestartableServer:
    """The app on waitress on a free port that can be stopped, as a crashed service, and started again."""

    def __init__(self, app):
        self.app = app
        self.port = 0
        self.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def __call__(self, path: str) -> str:
        return self.url + path

    def start(self) -> None:
        self.server = create_server(self.app, host="127.0.0.1", port=self.port, ident="")
        self.port = self.server.effective_port
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        # Every connection goes, kept-alive ones included: the browser finds nobody there.
        wasyncore.close_all(self.server._map)
        self.server.task_dispatcher.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(app):
    server = RestartableServer(app)
    yield server
    server.stop()


def card_places(page):
    return page.locator(".card", has_text="Roskien keruu").locator(".card-places")


def test_a_place_taken_on_another_screen_shows_within_five_seconds(board, live_server, kiosk, browser):
    with live_server.app.app_context():
        other_token = make_kiosk(db.session.get(Task, board.task_id).site, "Toinen näyttö").enroll_token
        db.session.commit()
        db.session.remove()
    expect(card_places(kiosk)).to_have_text("3/3 paikkaa vapaana")
    kiosk.evaluate("window.sameDocument = true")

    other = browser.new_context(viewport={"width": 1080, "height": 1920}, locale="fi-FI").new_page()
    other.goto(live_server(f"/kiosk/enroll/{other_token}"))
    other.locator(".card", has_text="Roskien keruu").click()
    other.get_by_role("button", name="Tule mukaan").click()
    expect(other.get_by_role("heading", name="Tervetuloa mukaan!")).to_be_visible()

    expect(card_places(kiosk)).to_have_text("2/3 paikkaa vapaana", timeout=5000)
    assert kiosk.evaluate("window.sameDocument") is True  # swapped in place, not reloaded
    other.context.close()


def test_a_full_task_turns_grey_in_place(board, live_server, kiosk):
    expect(card_places(kiosk)).to_have_text("3/3 paikkaa vapaana")
    fill_task(live_server.app, board.task_id)
    expect(card_places(kiosk)).to_have_text("Täynnä", timeout=5000)
    expect(kiosk.locator(".card-full")).to_have_count(1)
    expect(kiosk.get_by_role("heading", name="Tämän päivän tehtävät")).to_be_visible()


def test_a_swap_keeps_the_page_on_the_screen_and_the_pager_working(seed, live_server, page):  # noqa: F811
    seeded = seed(20)
    page.set_viewport_size(KIOSK_LANDSCAPE)
    page.goto(seeded.enroll)
    label = page.locator(".pager-label")
    expect(label).to_have_text(re.compile(r"Sivu 1/\d"))
    pages = int(label.inner_text().rsplit("/", 1)[1])
    page.get_by_role("button", name="Seuraava").click()  # a touch: no turning by itself for 40 s
    expect(label).to_have_text(f"Sivu 2/{pages}")
    page.evaluate("window.sameDocument = true")
    with live_server.app.app_context():
        first = db.session.scalars(sa.select(Task.id).order_by(Task.id)).first()
    fill_task(live_server.app, first)
    expect(page.locator(".card-full")).to_have_count(1, timeout=5000)
    assert page.evaluate("window.sameDocument") is True
    expect(label).to_have_text(f"Sivu 2/{pages}")
    expect(page.locator(".pager-dot.is-current")).to_have_count(1)
    expect(page.locator(".card:visible")).not_to_have_count(0)
    page.get_by_role("button", name="Seuraava").click()
    expect(label).to_have_text(f"Sivu 3/{pages}" if pages > 2 else f"Sivu 1/{pages}")


def test_while_the_server_is_away_the_board_waits_calmly_and_comes_back_by_itself(board, live_server, kiosk):
    link = kiosk.locator(".card-link").first
    expect(link).to_be_visible()
    expect(kiosk.get_by_role("status")).to_be_hidden()
    live_server.stop()

    note = kiosk.get_by_role("status")
    expect(note).to_have_text(PAUSED, timeout=10_000)
    expect(link).to_have_attribute("aria-disabled", "true")
    expect(kiosk.get_by_text("Roskien keruu")).to_be_visible()  # the last tasks stay
    assert link.evaluate("element => getComputedStyle(element).borderTopStyle") == "dashed"  # visibly greyed
    link.click(force=True)  # a tap shows the note again, never a browser error page
    expect(note).to_have_class(re.compile("is-nudged"))
    expect(kiosk).to_have_url(board.board)
    kiosk.get_by_role("link", name="svenska").click(force=True)
    expect(kiosk).to_have_url(board.board)
    assert_accessible(kiosk)

    live_server.start()
    expect(note).to_be_hidden(timeout=10_000)
    expect(link).not_to_have_attribute("aria-disabled", "true")
    fill_task(live_server.app, board.task_id)
    expect(card_places(kiosk)).to_have_text("Täynnä", timeout=10_000)
    kiosk.locator(".card-link").first.click()
    expect(kiosk).to_have_url(board.details)


def test_a_database_outage_pauses_joining_in_the_boards_language(board, live_server, kiosk):
    kiosk.goto(board.board + "?lang=sv")
    link = kiosk.locator(".card-link").first
    expect(link).to_be_visible()
    with database_away(live_server.app):
        expect(kiosk.get_by_role("status")).to_have_text(PAUSED_SV, timeout=10_000)
        expect(link).to_have_attribute("aria-disabled", "true")
        link.click(force=True)
        expect(kiosk).to_have_url(board.board + "?lang=sv")
    expect(kiosk.get_by_role("status")).to_be_hidden(timeout=10_000)
    expect(link).not_to_have_attribute("aria-disabled", "true")
    expect(card_places(kiosk)).to_have_text("3/3 platser lediga")
