"""The region's listing in a real browser: on a phone (390x844) and a laptop (1366x768), grouped by day
and site, with pictograms, free places and how to get there; axe-core finds nothing, embedded or not."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import PHONE, assert_accessible
from tests.web.region_world import TITLE_FI, build_region_world

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def region(live_server):
    with live_server.app.app_context():
        return build_region_world()


@pytest.fixture(params=[PHONE, LAPTOP], ids=["phone-390x844", "laptop-1366x768"])
def screen(request, page):
    page.set_viewport_size(request.param)
    return request.param


def test_the_listing_groups_the_week_by_day_and_site(live_server, region, page, screen):
    page.goto(live_server("/r/alue"))
    days = page.locator(".region-day")
    expect(days).to_have_count(3)
    today = days.nth(0)
    expect(today.locator(".region-date")).to_contain_text("tänään")
    expect(today.locator(".region-site-name")).to_have_text(["Olohuone Satama"])
    expect(today.locator(".region-site-address")).to_have_text("Satamakatu 3, Kotka")
    expect(days.nth(1).locator(".region-site-name")).to_have_text(["Olohuone Kallio"])
    later = days.nth(2).locator(".region-task", has_text=TITLE_FI)
    expect(later.get_by_role("img", name="Vieraslajien poisto")).to_be_visible()
    expect(later.locator(".region-places")).to_have_text("6/6 paikkaa vapaana")
    expect(later.locator(".region-time")).to_have_text("10.00–24.00")
    expect(later).to_contain_text("Ruoka tarjolla")
    expect(today.locator(".region-task-cancelled .region-places")).to_have_text("Peruttu")
    ways = page.locator(".region-site-card", has_text="Olohuone Satama")
    expect(ways).to_contain_text("ma–pe 10–16")
    expect(page.get_by_text("Toisen alueen tehtävä")).to_have_count(0)
    # Nobody scrolls sideways, on a phone or a laptop.
    assert page.evaluate("document.documentElement.scrollWidth") <= screen["width"]


def test_tasks_sit_in_one_column_on_a_phone_and_side_by_side_on_a_laptop(live_server, region, page, screen):
    page.goto(live_server("/r/alue"))
    tasks = page.locator(".region-day").nth(0).locator(".region-task")
    expect(tasks).to_have_count(2)
    first, second = tasks.nth(0).bounding_box(), tasks.nth(1).bounding_box()
    if screen == PHONE:
        assert second["y"] >= first["y"] + first["height"]
        assert first["width"] >= 0.85 * (PHONE["width"] - 32)
    else:
        assert second["y"] == pytest.approx(first["y"], abs=1)
        assert second["x"] > first["x"] + first["width"]
    title = page.locator(".region-task-title").first
    assert float(title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 20


@pytest.mark.parametrize("path", ["/r/alue", "/r/alue?embed=1", "/r/alue?lang=sv", "/r/ei-ole"])
def test_axe_finds_nothing(live_server, region, page, screen, path):
    page.goto(live_server(path))
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)


def test_the_embed_variant_has_no_header(live_server, region, page):
    page.goto(live_server("/r/ita?embed=1"))
    expect(page.locator("h1")).to_have_text("Itäinen alue")
    expect(page.locator(".page-header")).to_have_count(0)
    page.get_by_role("link", name="svenska").click()
    expect(page).to_have_url(live_server("/r/ita?embed=1&lang=sv"))
    expect(page.locator(".page-header")).to_have_count(0)
