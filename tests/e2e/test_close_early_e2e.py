"""Closing the day by mistake on a 390x844 phone: the warning, the confirmation, and reopening.

The server runs on the real clock, as in the other e2e tests: the day's tasks run until 23.59, so
whenever the test runs (short of the last minute of the day) they have not ended yet, as at 9.00.
"""

import re
from datetime import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from dropin.extensions import db
from dropin.models import DayRecord, Task
from dropin.models.task import TaskStatus
from dropin.sites import find_site
from tests.e2e.helpers import assert_accessible, log_in
from tests.factories import make_task, make_user, running_window
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e

CONFIRM = "Suljen päivän silti, vaikka tehtäviä on kesken"


@pytest.fixture
def staff(live_server, board):
    """The board's site gets a second task running to the evening, and a staff member."""
    with live_server.app.app_context():
        site = find_site("satama")
        start, _end = running_window(site)
        make_task(site, title="Pullan leivonta", place="Keittiö", start_time=start, end_time=time(23, 59))
        make_user("staff@example.org", "staff", password=PASSWORD, sites=[site])
        db.session.commit()
        db.session.remove()


def day_state(app) -> tuple[int, set[str]]:
    """Day records, and the statuses of the tasks."""
    with app.app_context():
        records = db.session.scalar(sa.select(sa.func.count()).select_from(DayRecord))
        statuses = set(db.session.scalars(sa.select(Task.status)))
        db.session.remove()
    return records, statuses


def test_closing_early_asks_first_and_today_can_be_reopened(live_server, board, staff, phone, kiosk):
    page = phone
    log_in(page, live_server("/login"), "staff@example.org", PASSWORD)
    page.get_by_role("link", name="Sulje päivä").click()
    warning = page.locator("#close-early")
    expect(warning).to_contain_text("2 tehtävää on vielä kesken:")
    expect(warning).to_contain_text(re.compile(r"Roskien keruu päättyy klo \d\d\.\d\d"))
    expect(warning).to_contain_text("Pullan leivonta päättyy klo 23.59")
    assert_accessible(page)

    # Sent as shown, without the confirmation: nothing is closed.
    page.get_by_label("Aterioita osallistujille").fill("3")
    page.get_by_label("Aterioita muille").fill("1")
    page.get_by_role("button", name="Sulje päivä").click()
    expect(page.get_by_text("Päivää ei suljettu.")).to_be_visible()
    assert day_state(live_server.app) == (0, {TaskStatus.OPEN})
    assert_accessible(page)

    # Confirmed: closed, and the kiosk no longer takes visitors to its tasks.
    page.get_by_label(CONFIRM).check()
    page.get_by_role("button", name="Sulje päivä").click()
    expect(page.get_by_text("Päivä suljettu. Kiitos!")).to_be_visible()
    assert day_state(live_server.app) == (1, {TaskStatus.CLOSED})
    kiosk.goto(board.details)
    expect(kiosk.get_by_role("heading", name="Roskien keruu")).to_be_visible()
    expect(kiosk.get_by_role("button", name=re.compile("Tule mukaan"))).to_have_count(0)

    # A tap reopens today: the tasks are open again, on the kiosk too.
    page.get_by_role("button", name="Avaa päivä uudelleen").click()
    expect(page.get_by_text("Päivä avattu uudelleen.")).to_be_visible()
    assert day_state(live_server.app) == (0, {TaskStatus.OPEN})
    assert_accessible(page)
    kiosk.goto(board.details)
    expect(kiosk.get_by_role("button", name=re.compile("Tule mukaan"))).to_be_visible()

    # The next close offers the meals typed before.
    page.get_by_role("link", name="Sulje päivä").click()
    expect(page.get_by_label("Aterioita osallistujille")).to_have_value("3")
