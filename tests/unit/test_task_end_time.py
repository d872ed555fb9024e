"""When a task ends, in its site's zone, across the clock changes (Europe/Helsinki: 2027-03-28 03:00 -> 04:00)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dropin.claims.refusals import TaskEnded
from dropin.claims.service import refusal
from dropin.models.task_content import ends_at
from tests.factories import make_site, make_task

HELSINKI = ZoneInfo("Europe/Helsinki")
SPRING = date(2027, 3, 28)  # 03:00 EET is 04:00 EEST: 03:00-03:59 never happens
AUTUMN = date(2027, 10, 31)  # 04:00 EEST is 03:00 EET: 03:00-03:59 happens twice


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_an_end_in_the_skipped_hour_is_the_moment_the_clocks_jump():
    assert ends_at(SPRING, time(3, 30), HELSINKI).astimezone(UTC) == utc(2027, 3, 28, 1, 0)
    assert ends_at(SPRING, time(3, 0), HELSINKI).astimezone(UTC) == utc(2027, 3, 28, 1, 0)


def test_ends_around_the_skipped_hour_are_as_written():
    assert ends_at(SPRING, time(2, 59), HELSINKI).astimezone(UTC) == utc(2027, 3, 28, 0, 59)
    assert ends_at(SPRING, time(4, 0), HELSINKI).astimezone(UTC) == utc(2027, 3, 28, 1, 0)
    assert ends_at(SPRING, time(12, 0), HELSINKI).astimezone(UTC) == utc(2027, 3, 28, 9, 0)


def test_an_end_in_the_repeated_autumn_hour_is_its_first_pass_and_midnight_is_the_next_day():
    assert ends_at(AUTUMN, time(3, 30), HELSINKI).astimezone(UTC) == utc(2027, 10, 31, 0, 30)
    assert ends_at(AUTUMN, time(0, 0), HELSINKI).astimezone(UTC) == utc(2027, 10, 31, 22, 0)
    assert ends_at(SPRING, time(0, 0), HELSINKI).astimezone(UTC) == utc(2027, 3, 28, 21, 0)


@pytest.mark.usefixtures("ctx")
def test_a_task_ending_in_the_skipped_hour_closes_on_time():
    site = make_site(timezone="Europe/Helsinki")
    task = make_task(site, date=SPRING, start_time=time(1, 0), end_time=time(3, 30))
    # 02:50 EET: still running; 04:10 EEST (01:10 UTC): over, though 03:30 EET would be 01:30 UTC.
    assert refusal(task, 0, now=utc(2027, 3, 28, 0, 50)) is None
    assert refusal(task, 0, now=utc(2027, 3, 28, 1, 0)) is TaskEnded
    assert refusal(task, 0, now=utc(2027, 3, 28, 1, 10)) is TaskEnded
