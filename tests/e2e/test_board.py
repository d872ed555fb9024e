"""The board as a visitor sees it on the kiosk's screen: many tasks at a glance, paged calmly when they
do not fit, a started task marked as such, and a closed day that says so instead of inviting a choice.

Playwright's clock stands in for the seconds between pages: no sleeps.
"""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import Page, expect

from dropin.extensions import db
from dropin.models import DayRecord, Task
from tests.e2e.helpers import KIOSK_LANDSCAPE, KIOSK_PORTRAIT, PHONE, assert_accessible
from tests.factories import make_kiosk, make_partner, make_site, make_task

pytestmark = pytest.mark.e2e

VIEWPORTS = pytest.mark.parametrize("viewport", [KIOSK_LANDSCAPE, KIOSK_PORTRAIT], ids=["landscape", "portrait"])
TITLES = (
    ("Jättipalsamin kitkentä", "invasive"),
    ("Roskien keruu rantapolulla", "cleanup"),
    ("Kukkapenkkien kunnostus", "gardening"),
    ("Pullan leivonta", "baking"),
    ("Lehtien haravointi", "gardening"),
    ("Iltapalan valmistus", "cooking"),
    ("Iltakahvin leivonnaiset", "baking"),
    ("Lounaan valmistus", "cooking"),
    ("Pihan siivous", "cleanup"),
    ("Kurtturuusun raivaus", "invasive"),
    ("Kirpputorin järjestely", "other"),
    ("Marjapensaiden leikkuu", "gardening"),
    ("Sämpylöiden leivonta", "baking"),
    ("Keittolounaan kattaminen", "cooking"),
    ("Rannan roskat", "cleanup"),
    ("Kompostin kääntäminen", "gardening"),
    ("Lupiinien kitkentä", "invasive"),
    ("Kahvilan tiskit", "other"),
    ("Korvapuustit iltapäivään", "baking"),
    ("Puiston penkkien pesu", "other"),
)


@dataclass(frozen=True)
class Seeded:
    board: str
    enroll: str


@pytest.fixture
def seed(live_server):
    """`seed(count)`: a site with `count` open tasks of today (half with a partner) and a kiosk to enroll."""

    def make(count: int, **site) -> Seeded:
        with live_server.app.app_context():
            place = make_site("satama", name="Olohuone Satama", meal_time=time(12, 0), **site)
            partner = make_partner("Luonnonsuojeluyhdistys Kurki ry")
            for index in range(count):
                title, category = TITLES[index % len(TITLES)]
                make_task(
                    place,
                    title=title,
                    category=category,
                    place="Rantalan puisto",
                    partner=partner if index % 2 else None,
                )
            token = make_kiosk(place).enroll_token
            db.session.commit()
            db.session.remove()
        return Seeded(board=live_server("/kiosk/satama"), enroll=live_server(f"/kiosk/enroll/{token}"))

    return make


def open_board(page: Page, seeded: Seeded, viewport: dict, paused: bool = True) -> None:
    """The enrolled kiosk's board, its clock stopped: time moves only when the test says so.
    (axe-core waits on timers of its own: a test that runs it keeps the clock going.)"""
    page.set_viewport_size(viewport)
    page.clock.install()
    if paused:
        page.clock.pause_at(datetime.now() + timedelta(seconds=1))
    page.goto(seeded.enroll)
    page.wait_for_url(seeded.board)
    page.evaluate("document.fonts.ready")


def shown_cards(page: Page, viewport: dict) -> list[str]:
    """The titles of the cards on the screen; every card is either wholly in the viewport or not shown at all."""
    titles = []
    for card in page.locator(".card").all():
        box = card.bounding_box()
        if box is None:  # not on this page
            continue
        title = card.locator(".card-title").inner_text()
        assert box["x"] >= 0, f"{title} sticks out on the left"
        assert box["x"] + box["width"] <= viewport["width"], f"{title} sticks out on the right"
        assert box["y"] >= 0, f"{title} is cut at the top"
        assert box["y"] + box["height"] <= viewport["height"], f"{title} is cut at the bottom"
        assert box["height"] >= 64
        titles.append(title)
    return titles


def font_px(locator) -> float:
    return float(locator.evaluate("element => parseFloat(getComputedStyle(element).fontSize)"))


@pytest.mark.slow
@VIEWPORTS
def test_twenty_tasks_show_eight_whole_cards_a_page_and_turn_the_page_by_themselves(seed, page, viewport):
    seeded = seed(20)
    open_board(page, seeded, viewport)
    pager = page.get_by_role("navigation", name="Tehtävien sivut")
    expect(pager).to_be_visible()
    first = shown_cards(page, viewport)
    assert len(first) >= 8, first
    pages = -(-20 // len(first))
    expect(pager.locator(".pager-label")).to_have_text(f"Sivu 1/{pages}")
    expect(pager.locator(".pager-dot")).to_have_count(pages)
    expect(pager.locator(".pager-dot.is-current")).to_have_count(1)
    assert font_px(page.locator(".card-title").first) >= 32
    assert font_px(page.locator(".card-time").first) >= 26
    for name in ("Edellinen", "Seuraava"):
        box = pager.get_by_role("button", name=name).bounding_box()
        assert min(box["height"], box["width"]) >= 64, name

    page.clock.run_for(10_000)  # calm: still the first page
    assert shown_cards(page, viewport) == first
    page.clock.run_for(6_000)
    expect(pager.locator(".pager-label")).to_have_text(f"Sivu 2/{pages}")
    second = shown_cards(page, viewport)
    assert second
    assert not set(second) & set(first)


@VIEWPORTS
def test_a_paged_board_is_accessible(seed, page, viewport):
    open_board(page, seed(20), viewport, paused=False)
    expect(page.get_by_role("navigation", name="Tehtävien sivut")).to_be_visible()
    assert_accessible(page)


@pytest.mark.slow
def test_every_task_is_on_some_page(seed, page):
    seed_ = seed(20)
    open_board(page, seed_, KIOSK_LANDSCAPE)
    seen = []
    next_button = page.get_by_role("button", name="Seuraava")
    label = page.locator(".pager-label")
    expect(label).to_have_text(re.compile(r"Sivu 1/\d"))
    pages = int(label.inner_text().rsplit("/", 1)[1])
    for number in range(1, pages + 1):
        expect(label).to_have_text(f"Sivu {number}/{pages}")
        seen += shown_cards(page, KIOSK_LANDSCAPE)
        next_button.click()
    expect(label).to_have_text(f"Sivu 1/{pages}")  # round again
    assert sorted(seen) == sorted(title for title, _category in TITLES)


def test_a_touch_pauses_the_paging_for_a_while(seed, page):
    seeded = seed(20)
    open_board(page, seeded, KIOSK_PORTRAIT)
    label = page.locator(".pager-label")
    expect(label).to_have_text(re.compile("Sivu 1/"))
    page.get_by_role("button", name="Seuraava").click()
    expect(label).to_have_text(re.compile("Sivu 2/"))
    page.clock.run_for(30_000)  # someone is reading page 2
    expect(label).to_have_text(re.compile("Sivu 2/"))
    page.get_by_role("button", name="Edellinen").click()
    expect(label).to_have_text(re.compile("Sivu 1/"))
    page.clock.run_for(50_000)  # left alone, it carries on
    expect(label).to_have_text(re.compile("Sivu 2/"))


@VIEWPORTS
def test_six_tasks_fit_without_paging(seed, page, viewport):
    seeded = seed(6)
    open_board(page, seeded, viewport)
    expect(page.locator(".card")).to_have_count(6)
    assert len(shown_cards(page, viewport)) == 6
    expect(page.get_by_role("navigation", name="Tehtävien sivut")).to_be_hidden()
    page.clock.run_for(30_000)
    assert len(shown_cards(page, viewport)) == 6


def test_a_phone_scrolls_instead_of_paging(seed, page):
    seeded = seed(20)
    open_board(page, seeded, PHONE)
    expect(page.locator(".card:visible")).to_have_count(20)
    expect(page.get_by_role("navigation", name="Tehtävien sivut")).to_be_hidden()


def test_without_javascript_every_card_is_there_to_scroll_to(seed, browser, browser_context_args):
    seeded = seed(20)
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    page = context.new_page()
    page.goto(seeded.enroll)
    cards = page.locator(".card")
    expect(cards).to_have_count(20)
    for card in cards.all():
        expect(card).to_be_visible()
    expect(page.get_by_role("navigation", name="Tehtävien sivut")).to_be_hidden()
    cards.last.scroll_into_view_if_needed()
    expect(cards.last).to_be_in_viewport()
    context.close()


def test_a_started_task_says_so_and_can_still_be_joined(board, live_server, kiosk):
    with live_server.app.app_context():
        task = db.session.get(Task, board.task_id)
        now = task.site.now()
        if now.time() >= time(23, 50):
            pytest.skip("too near midnight for a task that is yet to start")
        later = (now + timedelta(minutes=5)).time().replace(second=0, microsecond=0)
        make_task(task.site, title="Iltakahvin leivonnaiset", start_time=later, end_time=time(23, 59))
        db.session.commit()
        db.session.remove()
    kiosk.reload()
    started = kiosk.locator(".card", has_text="Roskien keruu")
    expect(started.locator(".started-tag")).to_have_text("Alkanut jo")
    expect(kiosk.locator(".card", has_text="Iltakahvin leivonnaiset").locator(".started-tag")).to_have_count(0)
    started.click()
    expect(kiosk.locator(".details .started-tag")).to_have_text("Alkanut jo")
    kiosk.get_by_role("button", name="Tule mukaan").click()
    expect(kiosk.get_by_role("heading", name="Tervetuloa mukaan!")).to_be_visible()


def test_a_started_task_in_swedish_and_english(board, kiosk):
    kiosk.goto(board.board + "?lang=sv")
    expect(kiosk.locator(".started-tag")).to_have_text("Har redan börjat")
    kiosk.goto(board.board + "?lang=en")
    expect(kiosk.locator(".started-tag")).to_have_text("Already started")


def close_today(app, task_id: int, next_in_days: int | None) -> None:
    """Staff closed today's day; a task is posted `next_in_days` ahead (when given)."""
    with app.app_context():
        site = db.session.get(Task, task_id).site
        db.session.add(DayRecord(site_id=site.id, date=site.today()))
        if next_in_days is not None:
            make_task(site, title="Huomisen leivonta", date=site.today() + timedelta(days=next_in_days))
        db.session.commit()
        db.session.remove()


def test_a_closed_day_says_calmly_that_the_tasks_are_over_and_when_the_next_are(board, live_server, kiosk):
    close_today(live_server.app, board.task_id, next_in_days=2)
    kiosk.reload()
    expect(kiosk.get_by_text("Tämän päivän tehtävät ovat päättyneet. Kiitos!")).to_be_visible()
    expect(kiosk.locator(".day-over-next")).to_have_text(re.compile(r"^Seuraavat tehtävät: \w+na \d{1,2}\.\d{1,2}\.$"))
    expect(kiosk.locator(".card")).to_have_count(0)
    expect(kiosk.get_by_text("Tule mukaan")).to_have_count(0)
    expect(kiosk.get_by_text("Ei auki tänään")).to_have_count(0)
    assert_accessible(kiosk)
    kiosk.goto(board.board + "?lang=sv")
    expect(kiosk.get_by_text("Dagens uppgifter är slut. Tack!")).to_be_visible()
    expect(kiosk.locator(".day-over-next")).to_have_text(re.compile(r"^Nästa uppgifter: \w+dag \d{1,2}\.\d{1,2}\.$"))


def test_a_closed_day_with_nothing_posted_later_names_no_next_day(board, live_server, kiosk):
    close_today(live_server.app, board.task_id, next_in_days=None)
    kiosk.reload()
    expect(kiosk.get_by_text("Tämän päivän tehtävät ovat päättyneet. Kiitos!")).to_be_visible()
    expect(kiosk.locator(".day-over-next")).to_have_count(0)
    expect(kiosk.locator(".card")).to_have_count(0)


def test_a_day_whose_tasks_have_all_ended_shows_the_calm_message(board, live_server, kiosk):
    with live_server.app.app_context():
        task = db.session.get(Task, board.task_id)
        if task.site.now().time() < time(0, 2):
            pytest.skip("no task can have ended yet just after midnight")
        task.start_time, task.end_time = time(0, 0), time(0, 1)
        make_task(task.site, title="Ensi viikon leivonta", date=task.site.today() + timedelta(days=7))
        db.session.commit()
        db.session.remove()
    kiosk.reload()
    expect(kiosk.get_by_text("Tämän päivän tehtävät ovat päättyneet. Kiitos!")).to_be_visible()
    expect(kiosk.locator(".day-over-next")).to_be_visible()
    expect(kiosk.locator(".card")).to_have_count(0)
