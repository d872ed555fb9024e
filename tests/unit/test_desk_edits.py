"""A week at the desk (issue #11): walk-ins over capacity, stale edit forms and task times, called directly."""

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from dropin.claims.refusals import Availability, TaskEnded, TaskFull
from dropin.claims.service import active_counts, claim_place, refusal
from dropin.extensions import db
from dropin.models import AuditEvent, Claim, Task
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.sites import day_rows, task_row
from dropin.staff import service
from dropin.stats import totals
from dropin.stats.query import StatsQuery
from tests.factories import make_site, make_task

pytestmark = pytest.mark.usefixtures("ctx")


def one_off(day, start: time, end: time, **kw) -> dict:
    """A one-off task's values as the staff form gives them."""
    values = dict(date=day, start_time=start, end_time=end, title="Haravointi", category="gardening", place="Puisto")
    return {**values, "capacity": 4, **kw}


# Walk-ins over capacity


def test_a_walk_in_to_a_full_task_is_refused_without_the_over_capacity_confirmation():
    site = make_site()
    task = make_task(site, capacity=1)
    claim_place(task)
    with pytest.raises(TaskFull):
        service.walk_in(task)
    assert active_counts([task.id])[task.id] == 1


def test_a_confirmed_walk_in_takes_a_place_beyond_capacity_marked_and_audited():
    site = make_site()
    task = make_task(site, capacity=2)
    claim_place(task)
    claim_place(task)
    claim, token = service.walk_in(task, over_capacity=True)
    assert (claim.source, claim.over_capacity, claim.status) == (ClaimSource.STAFF, True, ClaimStatus.ACTIVE)
    assert token
    row = day_rows(site, site.today())[0]
    assert (row.taken, row.walk_ins, row.free, row.state) == (3, 1, 0, Availability.FULL)
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "claim.walk_in")).one()
    assert event.after == {"source": "staff", "over_capacity": True}


def test_a_confirmed_walk_in_to_a_task_with_room_is_an_ordinary_place():
    site = make_site()
    task = make_task(site, capacity=2)
    claim, _ = service.walk_in(task, over_capacity=True)
    assert claim.over_capacity is False
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "claim.walk_in")).one()
    assert event.after == {"source": "staff"}


def test_a_visitor_never_takes_a_place_beyond_capacity():
    site = make_site()
    task = make_task(site, capacity=1)
    claim_place(task)
    with pytest.raises(TaskFull):
        claim_place(task, ClaimSource.KIOSK)
    with pytest.raises(ValueError, match="only staff"):
        claim_place(task, ClaimSource.KIOSK, over_capacity=True)
    assert active_counts([task.id])[task.id] == 1


def test_an_over_capacity_walk_in_does_not_stop_later_edits_of_the_task():
    site = make_site()
    task = make_task(site, capacity=1)
    claim_place(task)
    service.walk_in(task, over_capacity=True)
    service.update_task(task, {"title": "Rannan siivous"})
    assert task.title == "Rannan siivous"
    assert active_counts([task.id])[task.id] == 2


def test_statistics_count_an_over_capacity_walk_in_as_a_claim_and_a_walk_in():
    site = make_site()
    task = make_task(site, capacity=1)
    claim_place(task)
    service.walk_in(task, over_capacity=True)
    db.session.commit()
    figures = totals.collect(StatsQuery(task.date, task.date)).current
    assert (figures.places, figures.claims, figures.kept, figures.walk_ins) == (1, 2, 2, 1)


# Stale forms


def test_two_edits_from_the_same_revision_the_second_is_refused():
    site = make_site()
    task = make_task(site, capacity=5)
    db.session.commit()
    seen = task.revision
    service.update_task(task, {"capacity": 8}, revision=seen)
    db.session.commit()
    assert task.revision == seen + 1
    with pytest.raises(service.EditedMeanwhile):
        service.update_task(task, {"capacity": 3, "title": "Toinen"}, revision=seen)
    db.session.rollback()
    stored = db.session.get(Task, task.id)
    assert (stored.capacity, stored.title, stored.revision) == (8, "Roskien keruu", seen + 1)
    # From the current revision, the same change is saved.
    service.update_task(stored, {"title": "Toinen"}, revision=seen + 1)
    assert (stored.title, stored.revision) == ("Toinen", seen + 2)


def test_saving_nothing_new_keeps_the_revision():
    site = make_site()
    task = make_task(site)
    service.update_task(task, {"title": task.title}, revision=task.revision)
    assert task.revision == 0


def test_a_confirmed_capacity_cut_asks_again_when_claims_arrived_meanwhile():
    site = make_site()
    task = make_task(site, capacity=5)
    claims = [claim_place(task)[0] for _ in range(3)]
    # Staff were shown 3 places taken and agreed to cut to 2 (one claim cancelled); two more arrive.
    claims += [claim_place(task)[0] for _ in range(2)]
    db.session.commit()
    with pytest.raises(service.CapacityBelowClaims) as refused:
        service.update_task(task, {"capacity": 2}, allow_below_claims=True, revision=task.revision, seen_active=3)
    assert refused.value.active == 5
    db.session.rollback()
    task = db.session.get(Task, task.id)
    assert task.capacity == 5
    assert active_counts([task.id])[task.id] == 5
    # Confirmed again with what is there now, the newest claims beyond the new capacity go.
    service.update_task(task, {"capacity": 2}, allow_below_claims=True, revision=task.revision, seen_active=5)
    assert active_counts([task.id])[task.id] == 2
    assert db.session.get(Claim, claims[0].id).status == ClaimStatus.ACTIVE
    assert db.session.get(Claim, claims[-1].id).status == ClaimStatus.CANCELLED


# Task times


def test_a_task_ending_at_midnight_is_open_until_midnight_and_ended_right_after():
    site = make_site()
    day = site.today() + timedelta(days=1)
    task = make_task(site, date=day, start_time=time(22), end_time=time(0))
    zone = site.zone
    at = lambda d, h, m=0, s=0: datetime(d.year, d.month, d.day, h, m, s, tzinfo=zone)  # noqa: E731
    next_day = day + timedelta(days=1)
    assert task.ends_at == at(next_day, 0)
    assert refusal(task, 0, at(day, 23, 30)) is None
    assert refusal(task, 0, at(day, 23, 59, 59)) is None
    assert refusal(task, 0, at(next_day, 0, 0, 1)) is TaskEnded
    assert task_row(task, at(day, 23, 30)).state == Availability.OPEN
    assert task_row(task, at(next_day, 0, 0, 1)).state == Availability.ENDED
    # In UTC as the server keeps time, too.
    assert refusal(task, 0, at(day, 23, 30).astimezone(UTC)) is None


def test_a_task_of_today_ending_at_midnight_can_be_joined_now():
    site = make_site()
    task = make_task(site, start_time=time(0), end_time=time(0))
    claim, _ = claim_place(task)
    assert claim.status == ClaimStatus.ACTIVE
    assert day_rows(site, site.today())[0].state == Availability.OPEN


def test_a_task_may_end_at_midnight_in_the_database():
    site = make_site()
    task = service.create_task(site, one_off(site.today() + timedelta(days=1), time(22), time(0)))
    db.session.commit()
    assert db.session.get(Task, task.id).end_time == time(0)


def test_a_one_off_task_whose_end_has_passed_needs_confirmation():
    site = make_site()
    day = site.today()
    now = datetime(day.year, day.month, day.day, 14, tzinfo=site.zone)
    values = one_off(day, time(10), time(12))
    with pytest.raises(service.EndAlreadyPast):
        service.create_task(site, values, now=now)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 0
    task = service.create_task(site, values, past_end_confirmed=True, now=now)
    assert task.id is not None
    # Ending later, or at midnight, asks nothing.
    service.create_task(site, one_off(day, time(13), time(15), title="Myöhemmin"), now=now)
    service.create_task(site, one_off(day, time(22), time(0), title="Iltaan"), now=now)
