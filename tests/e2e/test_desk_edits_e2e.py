"""A week at the desk (issue #11) on a 390x844 phone: a walk-in over capacity, two people editing one task,
a task ending at midnight and one whose end has passed."""

import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from dropin.extensions import db
from dropin.models import Claim, Task
from tests.e2e.helpers import PHONE, assert_accessible, fill_task, log_in
from tests.factories import make_site, make_task, make_user
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def desk(live_server):
    """Site satama with a task of two places, and two staff members."""
    with live_server.app.app_context():
        site = make_site("satama", name="Olohuone Satama")
        task = make_task(site, title="Roskien keruu", place="Ranta", capacity=2)
        make_user("staff@example.org", "staff", sites=[site])
        make_user("toinen@example.org", "staff", sites=[site])
        db.session.commit()
        found = {"task": task.id, "today": site.today()}
        db.session.remove()
    return found


@pytest.fixture
def second_phone(browser, browser_context_args):
    """Another staff member's phone: a browser context of its own."""
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE, "has_touch": True, "is_mobile": True})
    yield context.new_page()
    context.close()


def test_a_walk_in_to_a_full_task_goes_over_capacity_only_when_confirmed(live_server, desk, phone):
    page = phone
    fill_task(live_server.app, desk["task"])
    log_in(page, live_server("/login"), "staff@example.org", PASSWORD)
    row = page.locator(".staff-task", has_text="Roskien keruu")
    expect(row.locator(".staff-task-count")).to_contain_text("2/2")
    row.get_by_role("link", name="Ota paikka kävijälle").click()
    expect(page.get_by_text("Tehtävä on täynnä. Lisää silti yli paikkamäärän?")).to_be_visible()
    assert_accessible(page)
    # Changing one's mind takes no place.
    page.get_by_role("link", name="Takaisin päivään").click()
    expect(row.locator(".places-over")).to_be_hidden()
    row.get_by_role("link", name="Ota paikka kävijälle").click()
    page.get_by_role("button", name="Lisää yli paikkamäärän").click()
    expect(page.get_by_role("heading", name="Paikka otettu kävijälle")).to_be_visible()
    assert re.fullmatch(r"[A-Z0-9]{5}", page.locator(".walk-in-code").inner_text())
    page.get_by_role("link", name="Takaisin päivään").click()
    expect(row.locator(".staff-task-count")).to_contain_text(re.compile(r"3/2\s*\(1 yli\)"))
    assert_accessible(page)
    with live_server.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Claim.over_capacity.is_(True))) == 1
        db.session.remove()


def test_two_staff_editing_one_task_the_second_is_shown_the_newer_values(live_server, desk, phone, second_phone):
    first, second = phone, second_phone
    log_in(first, live_server("/login"), "staff@example.org", PASSWORD)
    log_in(second, live_server("/login"), "toinen@example.org", PASSWORD)
    edit = live_server(f"/staff/satama/tasks/{desk['task']}/edit")
    first.goto(edit)
    second.goto(edit)
    first.get_by_label("Paikkoja").fill("6")
    first.get_by_role("button", name="Tallenna").click()
    expect(first.get_by_text("Muutokset tallennettu.")).to_be_visible()

    second.get_by_label("Otsikko", exact=True).fill("Rannan siivous")
    second.get_by_label("Paikkoja").fill("3")
    second.get_by_role("button", name="Tallenna").click()
    expect(
        second.get_by_text("Joku muu muutti tehtävää sillä välin. Tarkista tiedot ja tallenna uudelleen.")
    ).to_be_visible()
    expect(second.get_by_label("Paikkoja")).to_have_value("6")
    expect(second.get_by_label("Otsikko", exact=True)).to_have_value("Roskien keruu")
    expect(second.locator(".unsaved-changes")).to_contain_text("Rannan siivous")
    assert_accessible(second)
    second.get_by_label("Otsikko", exact=True).fill("Rannan siivous")
    second.get_by_role("button", name="Tallenna").click()
    expect(second.get_by_text("Muutokset tallennettu.")).to_be_visible()
    with live_server.app.app_context():
        task = db.session.get(Task, desk["task"])
        assert (task.title, task.capacity) == ("Rannan siivous", 6)
        db.session.remove()


def test_task_times_midnight_end_and_an_end_already_past(live_server, desk, phone):
    page = phone
    log_in(page, live_server("/login"), "staff@example.org", PASSWORD)
    # Ending at midnight: saved at once, shown as 24.00.
    page.get_by_role("link", name="Lisää kertaluonteinen tehtävä").click()
    page.get_by_label("Otsikko", exact=True).fill("Iltakahvila")
    page.get_by_label("Paikkoja").fill("4")
    page.get_by_label("Alkaa").fill("22:00")
    page.get_by_label("Päättyy").fill("00:00")
    page.get_by_label("Paikka tai tapaamispaikka").fill("Olohuone")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Tehtävä lisätty.")).to_be_visible()
    expect(page.locator(".staff-task", has_text="Iltakahvila")).to_contain_text("22.00–24.00")

    # Yesterday's task, 10–12, has ended: it is added only after the box is ticked.
    yesterday = (desk["today"] - timedelta(days=1)).isoformat()
    page.goto(live_server(f"/staff/satama/day/{yesterday}/tasks/new"))
    page.get_by_label("Otsikko", exact=True).fill("Unohtunut haravointi")
    page.get_by_label("Paikkoja").fill("4")
    page.get_by_label("Alkaa").fill("10:00")
    page.get_by_label("Päättyy").fill("12:00")
    page.get_by_label("Paikka tai tapaamispaikka").fill("Puisto")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Tehtävän loppuaika on jo mennyt. Lisätäänkö silti?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Tehtävän loppuaika on jo mennyt. Lisätäänkö silti?")).to_be_visible()
    page.get_by_label("Kyllä, lisää tehtävä silti").check()
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Tehtävä lisätty.")).to_be_visible()
    with live_server.app.app_context():
        titles = set(db.session.scalars(sa.select(Task.title)))
        ends = dict(db.session.execute(sa.select(Task.title, Task.end_time)).all())
        db.session.remove()
    assert {"Iltakahvila", "Unohtunut haravointi"} <= titles
    assert ends["Iltakahvila"] == time(0)
