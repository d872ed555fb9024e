"""The day desk's rules, called directly."""

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from dropin.claims.service import active_counts, claim_place, find_claim
from dropin.extensions import db
from dropin.models import AuditEvent, Claim, DayRecord, Task
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.task import TaskStatus
from dropin.sites import day_rows
from dropin.staff import service
from tests.factories import make_site, make_task, make_template

pytestmark = pytest.mark.usefixtures("ctx")


def test_posting_from_templates_twice_creates_nothing_twice():
    site = make_site()
    make_template(site, title="Leivonta", weekdays="1234567")
    make_template(site, title="Tauolla", weekdays="1234567", paused=True)
    make_template(site, title="Ei tänään", weekdays=str((site.today().isoweekday() % 7) + 1))
    first = service.post_from_templates(site, site.today())
    second = service.post_from_templates(site, site.today())
    assert [t.title for t in first] == ["Leivonta"]
    assert second == []
    assert first[0].outcome_unit == "annosta"
    assert first[0].template_id is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Task)) == 1


def test_due_templates_leave_out_what_is_posted():
    site = make_site()
    make_template(site)
    assert len(service.due_templates(site, site.today())) == 1
    service.post_from_templates(site, site.today())
    assert service.due_templates(site, site.today()) == []


def test_copy_day_skips_cancelled_and_existing():
    site = make_site()
    yesterday, today = site.today() - timedelta(days=1), site.today()
    make_task(site, date=yesterday, title="A", start_time=time(9), end_time=time(10))
    make_task(site, date=yesterday, title="B", start_time=time(10), end_time=time(11), status=TaskStatus.CANCELLED)
    make_task(site, date=yesterday, title="C", start_time=time(12), end_time=time(13))
    make_task(site, date=today, title="C", start_time=time(12), end_time=time(13))
    copied = service.copy_day(site, yesterday, today)
    assert [t.title for t in copied] == ["A"]
    assert service.copy_day(site, yesterday, today) == []


def test_capacity_below_active_claims_needs_an_explicit_choice():
    site = make_site()
    task = make_task(site, capacity=3)
    claims = [claim_place(task)[0] for _ in range(3)]
    db.session.commit()
    with pytest.raises(service.CapacityBelowClaims) as refused:
        service.update_task(task, {"capacity": 1})
    assert refused.value.active == 3
    db.session.rollback()
    task = db.session.get(Task, task.id)
    service.update_task(task, {"capacity": 1}, allow_below_claims=True)
    assert task.capacity == 1
    assert active_counts([task.id])[task.id] == 1
    # The oldest claim keeps its place; the newest ones are cancelled.
    assert db.session.get(Claim, claims[0].id).status == ClaimStatus.ACTIVE
    assert db.session.get(Claim, claims[2].id).status == ClaimStatus.CANCELLED


def test_cancel_releases_every_claim_and_keeps_the_reason():
    site = make_site()
    task = make_task(site)
    claim, token = claim_place(task)
    assert service.cancel_task(task, "Sadetta") == 1
    assert task.status == TaskStatus.CANCELLED
    assert task.cancel_reason == "Sadetta"
    assert find_claim(token).status == ClaimStatus.CANCELLED
    with pytest.raises(service.NotCancellable):
        service.cancel_task(task, "Uudelleen")


def test_walk_in_is_a_staff_claim_and_respects_capacity():
    site = make_site()
    task = make_task(site, capacity=1)
    claim, _ = service.walk_in(task)
    assert claim.source == ClaimSource.STAFF
    live = day_rows(site, site.today())
    assert (live[0].taken, live[0].walk_ins, live[0].free) == (1, 1, 0)
    from dropin.claims.refusals import TaskFull

    with pytest.raises(TaskFull):
        service.walk_in(task)


def test_close_day_records_figures_and_then_is_read_only():
    site = make_site()
    task = make_task(site, outcome_unit="säkkiä")
    cancelled = make_task(site, title="Peruttu", status=TaskStatus.CANCELLED)
    claim_place(task)
    results = {task.id: service.TaskResult(4, 6.5)}
    # The task runs to the evening: closing it now is confirmed (tests/unit/test_day_close.py).
    record = service.close_day(site, site.today(), results, 5, 2, "Hyvä päivä", None, confirm_unfinished=True)
    assert (record.meals_participants, record.meals_others, record.note) == (5, 2, "Hyvä päivä")
    assert (task.participants, task.outcome_amount, task.status) == (4, 6.5, TaskStatus.CLOSED)
    assert cancelled.status == TaskStatus.CANCELLED
    assert cancelled.participants is None
    with pytest.raises(service.DayClosed):
        service.close_day(site, site.today(), {task.id: service.TaskResult(1, None)}, 0, 0, None, None)
    with pytest.raises(service.DayClosed):
        service.create_task(
            site,
            dict(
                date=site.today(),
                start_time=time(9),
                end_time=time(10),
                title="X",
                category="other",
                place="P",
                capacity=1,
            ),
        )
    with pytest.raises(service.DayClosed):
        service.walk_in(task)
    # Admins may still correct a closed day; the change is audited.
    service.close_day(site, site.today(), {task.id: service.TaskResult(3, 6.5)}, 5, 2, None, None, admin=True)
    assert task.participants == 3
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["day.close", "day.reclose"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DayRecord)) == 1


def test_audit_never_holds_claim_codes_or_tokens():
    site = make_site()
    task = make_task(site)
    claim, token = service.walk_in(task)
    service.cancel_task(task, "Syy")
    db.session.flush()
    for before, after in db.session.execute(sa.select(AuditEvent.before, AuditEvent.after)):
        text = f"{before} {after}"
        assert claim.code not in text
        assert token not in text
        assert claim.token_hash not in text
