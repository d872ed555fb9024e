"""`dropin seed-history`: believable, deterministic, and safe to run twice."""

from datetime import date

import pytest
import sqlalchemy as sa

from dropin.demo.history import seed_history
from dropin.extensions import db
from dropin.models import Claim, DayRecord, Feedback, PartnerLink, Proposal, Site, Task
from dropin.models.claim import ClaimSource
from dropin.models.task import TaskStatus

UNTIL = date(2026, 6, 30)


def _fingerprint() -> tuple:
    in_range = Task.date <= UNTIL
    tasks = db.session.execute(
        sa.select(sa.func.count(), sa.func.sum(Task.capacity), sa.func.sum(Task.participants)).where(in_range)
    ).one()
    claims = db.session.execute(
        sa.select(Claim.status, sa.func.count()).join(Task).where(in_range).group_by(Claim.status)
    ).all()
    return (
        tuple(tasks),
        tuple(sorted(claims)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)),
        db.session.scalar(sa.select(sa.func.sum(DayRecord.meals_others))),
    )


@pytest.mark.usefixtures("ctx")
def test_history_is_believable():
    summary = seed_history(1, 2, seed=3, until=UNTIL)
    db.session.commit()
    assert summary.sites == 2
    assert summary.tasks > 500
    assert summary.claims > summary.tasks
    assert [s.slug for s in db.session.scalars(sa.select(Site).order_by(Site.id))] == ["satama", "kivikko"]
    tasks = db.session.execute(
        sa.select(Task.date, Task.category, Task.status, Task.participants).where(Task.date <= UNTIL)
    ).all()
    assert all(day.weekday() < 5 for day, *_ in tasks)
    assert not [
        d
        for d, *_ in tasks
        if (d.month, d.day) >= (12, 22) or (d.month, d.day) <= (1, 6) or (d.month == 7 and 6 <= d.day <= 19)
    ]
    months = {cat: {d.month for d, c, *_ in tasks if c == cat} for cat in ("cooking", "invasive")}
    assert months["cooking"] == set(range(1, 13))
    assert months["invasive"] <= {5, 6, 7, 8, 9}
    closed = [p for _d, _c, status, p in tasks if status == TaskStatus.CLOSED]
    assert closed
    assert all(p is not None for p in closed)
    claims = db.session.execute(sa.select(Claim.status, Claim.source, Claim.first_time)).all()
    assert {s for s, *_ in claims} == {"active", "released", "cancelled"}
    assert any(src == ClaimSource.STAFF for _s, src, _f in claims)
    assert {f for *_x, f in claims} == {True, False, None}
    over = db.session.execute(
        sa.select(Task.id)
        .join(Claim)
        .where(Claim.status == "active")
        .group_by(Task.id, Task.capacity)
        .having(sa.func.count() > Task.capacity)
    ).all()
    assert over == []  # never more active claims than places
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DayRecord)) > 100
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Feedback)) > 100
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)) > 0


@pytest.mark.slow
@pytest.mark.usefixtures("ctx")
def test_the_same_seed_gives_the_same_history_and_a_second_run_adds_nothing():
    seed_history(1, 1, seed=7, until=UNTIL)
    db.session.commit()
    first = _fingerprint()
    assert seed_history(1, 1, seed=7, until=UNTIL).tasks == 0
    db.session.commit()
    assert _fingerprint() == first
    _forget_history()
    seed_history(1, 1, seed=7, until=UNTIL)
    db.session.commit()
    assert _fingerprint() == first
    _forget_history()
    seed_history(1, 1, seed=8, until=UNTIL)
    assert _fingerprint() != first


def _forget_history() -> None:
    for model in (Proposal, PartnerLink, Feedback, DayRecord, Claim):
        db.session.execute(sa.delete(model))
    db.session.execute(sa.delete(Task).where(Task.date <= UNTIL))
    db.session.commit()


def test_the_command_reports_what_it_added(runner, app):
    result = runner.invoke(args=["seed-history", "--years", "1", "--sites", "2", "--until", "2026-03-31"])
    assert result.exit_code == 0, result.output
    assert "History ready: 2 site(s)" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.max(Task.date)).where(Task.date < date(2026, 4, 1))) <= date(
            2026, 3, 31
        )
