"""What the visitors' board makes of today: started tasks, a day that is over, and when the next tasks are."""

from datetime import UTC, datetime, time, timedelta

import pytest

from dropin.extensions import db
from dropin.models import Claim, DayRecord
from dropin.models.task import TaskStatus
from dropin.sites import board_day, next_task_date, task_row
from tests.factories import make_site, make_task

pytestmark = pytest.mark.usefixtures("ctx")


def at(site, day, hour, minute=0) -> datetime:
    """A moment of `day` on the site's own clock."""
    return datetime.combine(day, time(hour, minute), tzinfo=site.zone)


def close(site, day):
    db.session.add(DayRecord(site_id=site.id, date=day))
    db.session.flush()


@pytest.mark.parametrize(
    ("hour", "minute", "started"),
    [(9, 59, False), (10, 0, True), (11, 59, True), (12, 0, False)],
    ids=["before", "at-start", "under-way", "at-end"],
)
def test_a_task_has_started_from_its_start_until_its_end(hour, minute, started):
    site = make_site()
    task = make_task(site, start_time=time(10, 0), end_time=time(12, 0))
    row = task_row(task, at(site, task.date, hour, minute))
    assert row.started is started


def test_a_started_task_can_still_be_taken():
    site = make_site()
    task = make_task(site, start_time=time(10, 0), end_time=time(12, 0))
    row = task_row(task, at(site, task.date, 11, 0))
    assert (row.started, row.claimable) == (True, True)


def test_started_follows_the_sites_own_clock():
    """10.30 in Helsinki is 08.30 (winter) or 07.30 (summer) in UTC: the task has started all the same."""
    site = make_site()
    task = make_task(site, start_time=time(10, 0), end_time=time(12, 0))
    utc = at(site, task.date, 10, 30).astimezone(UTC)
    assert task_row(task, utc).started
    assert not task_row(task, at(site, task.date, 9, 30).astimezone(UTC)).started


def test_the_next_task_date_skips_cancelled_tasks_other_sites_and_the_past():
    site, other = make_site("satama"), make_site("muu")
    today = site.today()
    make_task(site, date=today - timedelta(days=3))
    make_task(site, date=today + timedelta(days=1), status=TaskStatus.CANCELLED)
    make_task(other, date=today + timedelta(days=2))
    make_task(site, date=today + timedelta(days=5))
    make_task(site, date=today + timedelta(days=9))
    assert next_task_date(site, today) == today + timedelta(days=5)
    assert next_task_date(other, today) == today + timedelta(days=2)
    assert next_task_date(site, today + timedelta(days=9)) is None


def test_a_day_with_an_open_task_is_not_over():
    site = make_site()
    make_task(site, start_time=time(10, 0), end_time=time(12, 0))
    day = board_day(site, at(site, site.today(), 11))
    assert (day.closed, day.over, len(day.rows)) == (False, False, 1)


def test_a_day_closed_by_staff_is_over_even_with_open_tasks():
    site = make_site()
    make_task(site, start_time=time(10, 0), end_time=time(12, 0))
    close(site, site.today())
    close(site, site.today() - timedelta(days=1))
    make_task(site, date=site.today() + timedelta(days=2))
    day = board_day(site, at(site, site.today(), 11))
    assert (day.closed, day.over, day.next_date) == (True, True, site.today() + timedelta(days=2))


def test_closing_another_day_leaves_today_open():
    site = make_site()
    make_task(site, start_time=time(10, 0), end_time=time(12, 0))
    close(site, site.today() - timedelta(days=1))
    assert not board_day(site, at(site, site.today(), 11)).over


def test_a_day_whose_tasks_have_all_ended_or_been_cancelled_is_over():
    site = make_site()
    make_task(site, start_time=time(9, 0), end_time=time(11, 0))
    make_task(site, start_time=time(13, 0), end_time=time(15, 0), status=TaskStatus.CANCELLED)
    make_task(site, start_time=time(10, 0), end_time=time(12, 0))
    assert not board_day(site, at(site, site.today(), 11, 30)).over
    day = board_day(site, at(site, site.today(), 12, 0))
    assert (day.over, day.closed, day.next_date) == (True, False, None)


def test_a_day_whose_tasks_were_all_called_off_keeps_its_cards_and_their_reasons():
    site = make_site()
    make_task(site, start_time=time(13, 0), end_time=time(15, 0), status=TaskStatus.CANCELLED)
    day = board_day(site, at(site, site.today(), 11))
    assert ([row.state for row in day.rows], day.over) == (["cancelled"], False)


def test_a_full_task_that_has_not_ended_keeps_the_day_going():
    site = make_site()
    make_task(site, start_time=time(10, 0), end_time=time(12, 0), capacity=1)
    full = make_task(site, start_time=time(10, 0), end_time=time(14, 0), capacity=1)
    db.session.add(Claim(task=full, code="ACDEF", token_hash="0" * 64))
    db.session.flush()
    make_task(site, start_time=time(9, 0), end_time=time(10, 0))
    day = board_day(site, at(site, site.today(), 13))
    assert [row.state for row in day.rows] == ["full", "ended", "ended"]
    assert not day.over


def test_a_day_with_no_tasks_is_empty_not_over():
    site = make_site()
    make_task(site, date=site.today() + timedelta(days=1))
    day = board_day(site, at(site, site.today(), 11))
    assert (day.rows, day.over, day.next_date) == ([], False, site.today() + timedelta(days=1))
