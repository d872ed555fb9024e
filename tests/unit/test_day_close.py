"""Closing the day early, reopening it, and the figures the close form offers: the rules, called directly."""

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa

from dropin.claims.service import claim_place, refusal
from dropin.extensions import db
from dropin.models import AuditEvent, DayRecord
from dropin.models.base import utcnow
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.task import TaskStatus
from dropin.staff import service
from dropin.staff.closing import earlier_figures, participants_prefill, unfinished_tasks
from tests.factories import make_site, make_task

pytestmark = pytest.mark.usefixtures("ctx")


def at(site, hour: int, minute: int = 0) -> datetime:
    """Today at that local time, at the site."""
    return datetime.combine(site.today(), time(hour, minute), tzinfo=site.zone)


def morning_day(site):
    """Two tasks of today, 8–10 and 12–14, and a cancelled one running to the evening."""
    early = make_task(site, title="Aamukahvi", start_time=time(8), end_time=time(10))
    late = make_task(site, title="Roskien keruu", start_time=time(12), end_time=time(14))
    make_task(site, title="Peruttu", start_time=time(15), end_time=time(20), status=TaskStatus.CANCELLED)
    return early, late


def close(site, day, results, now=None, **kw):
    return service.close_day(site, day, results, 3, 1, "Hyvä päivä", None, now=now, **kw)


def day_records() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(DayRecord))


def test_unfinished_tasks_are_the_open_ones_not_yet_ended():
    site = make_site()
    early, late = morning_day(site)
    assert unfinished_tasks(site, site.today(), at(site, 9)) == [early, late]
    assert unfinished_tasks(site, site.today(), at(site, 11)) == [late]
    assert unfinished_tasks(site, site.today(), at(site, 14)) == []  # ended on the minute


def test_closing_while_tasks_run_is_refused_without_confirmation():
    site = make_site()
    early, late = morning_day(site)
    results = {early.id: service.TaskResult(2, None), late.id: service.TaskResult(0, None)}
    with pytest.raises(service.TasksUnfinished) as refused:
        close(site, site.today(), results, now=at(site, 9))
    assert [t.title for t in refused.value.tasks] == ["Aamukahvi", "Roskien keruu"]
    assert day_records() == 0
    assert (early.status, late.status, early.participants) == (TaskStatus.OPEN, TaskStatus.OPEN, None)
    # Confirmed, it closes.
    close(site, site.today(), results, now=at(site, 9), confirm_unfinished=True)
    assert day_records() == 1
    assert (early.status, late.status) == (TaskStatus.CLOSED, TaskStatus.CLOSED)


def test_closing_after_every_task_ended_needs_no_confirmation():
    site = make_site()
    early, late = morning_day(site)
    close(site, site.today(), {early.id: service.TaskResult(2, None)}, now=at(site, 14, 30))
    assert day_records() == 1
    # A past day's tasks are all over: closing it never asks.
    old = make_task(site, date=site.today() - timedelta(days=1), start_time=time(0), end_time=time(23, 59))
    close(site, old.date, {old.id: service.TaskResult(1, None)})
    assert old.status == TaskStatus.CLOSED


def test_staff_reopen_todays_day_and_the_kiosk_offers_its_tasks_again():
    site = make_site()
    task = make_task(site, outcome_unit="säkkiä")
    close(site, site.today(), {task.id: service.TaskResult(4, 2.5)}, confirm_unfinished=True)
    assert refusal(task, 0) is not None
    service.reopen_day(site, site.today())
    assert day_records() == 0
    assert task.status == TaskStatus.OPEN
    assert refusal(task, 0) is None  # the board invites visitors again
    assert service.day_state(site, site.today()).walk_ins_open
    # What was typed at the close is offered again at the next one.
    assert (task.participants, task.outcome_amount) == (4, 2.5)
    assert participants_prefill([task]) == {task.id: 4}
    figures = earlier_figures(site, site.today())
    assert (figures.meals_participants, figures.meals_others, figures.note) == (3, 1, "Hyvä päivä")
    close(site, site.today(), {task.id: service.TaskResult(5, 3.0)}, confirm_unfinished=True)
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["day.close", "day.reopen", "day.close"]
    reopened = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "day.reopen"))
    assert reopened.site_id == site.id
    assert reopened.before["meals_participants"] == 3
    assert reopened.after["tasks"] == {str(task.id): TaskStatus.OPEN}


def test_only_todays_closed_day_can_be_reopened():
    site = make_site()
    yesterday = site.today() - timedelta(days=1)
    old = make_task(site, date=yesterday)
    close(site, yesterday, {old.id: service.TaskResult(1, None)})
    with pytest.raises(service.NotReopenable):
        service.reopen_day(site, yesterday)
    assert (day_records(), old.status) == (1, TaskStatus.CLOSED)
    with pytest.raises(service.NotReopenable):
        service.reopen_day(site, site.today())  # today is not closed
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "day.reopen"))
        == 0
    )


def test_a_day_never_closed_has_no_earlier_figures():
    site = make_site()
    assert earlier_figures(site, site.today()) is None


def test_participants_are_prefilled_from_arrivals_where_staff_marked_any():
    site = make_site()
    checked, unchecked, typed = (make_task(site, title=t, capacity=6) for t in ("Merkitty", "Ei merkitty", "Kirjattu"))
    claims = [claim_place(checked)[0] for _ in range(4)]
    claims[0].arrived_at = utcnow()
    claims[1].arrived_at = utcnow()
    claims[1].status = ClaimStatus.RELEASED  # arrived, then gave the place back: not counted
    walk_in, _token = claim_place(checked, ClaimSource.STAFF)  # at the desk: here, marked or not
    for _ in range(3):
        claim_place(unchecked)
    claim_place(typed)
    typed.participants = 5
    db.session.flush()
    assert participants_prefill([checked, unchecked, typed]) == {checked.id: 2, unchecked.id: 3, typed.id: 5}
