"""A site and its day, as every feature sees them: the kiosk board, the staff desk, the phone page, the API.

One row type, `TaskRow`, carries a task with its live counts and whether a place can be taken
now; `BoardDay` is what the visitors' board shows of today. This module depends only on the
models and the claims service, never on a feature.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.claims.refusals import Availability, ClaimRefused
from dropin.claims.service import refusal, task_ends_at
from dropin.extensions import db
from dropin.models import Claim, DayRecord, Site, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.task import TaskStatus

# On the board, what can still be taken comes first; the rest keeps its place in time below.
BOARD_ORDER = {state: rank for rank, state in enumerate(Availability)}
# While any card of the day is still in one of these states, the day is not over for visitors.
LIVE_STATES = (Availability.OPEN, Availability.FULL)


@dataclass(frozen=True)
class TaskRow:
    """A task with its active claims (walk-ins among them) and why it cannot be taken, if it cannot."""

    task: Task
    taken: int
    walk_ins: int
    refused: type[ClaimRefused] | None
    # Its start time has passed, its end not yet (the site's local time): "Alkanut jo", still open to join.
    started: bool = False

    @property
    def free(self) -> int:
        return max(self.task.capacity - self.taken, 0)

    @property
    def claimable(self) -> bool:
        return self.refused is None

    @property
    def state(self) -> Availability:
        """What the card shows: open, full, cancelled, closed or ended."""
        return self.refused.reason if self.refused else Availability.OPEN


def find_site(slug: str) -> Site | None:
    return db.session.scalar(sa.select(Site).where(Site.slug == slug))


def day_tasks(site: Site, day: date) -> list[Task]:
    """The site's tasks of `day` by start time, with their partner and site loaded."""
    return list(
        db.session.scalars(
            sa.select(Task)
            .where(Task.site_id == site.id, Task.date == day)
            .options(so.joinedload(Task.partner), so.joinedload(Task.site))
            .order_by(Task.start_time, Task.title)
        )
    )


def live_counts(task_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Active claims and, of them, walk-ins per task, in one query."""
    ids = list(task_ids)
    if not ids:
        return {}
    walk_in = sa.case((Claim.source == ClaimSource.STAFF, 1), else_=0)
    rows = db.session.execute(
        sa.select(Claim.task_id, sa.func.count(), sa.func.sum(walk_in))
        .where(Claim.task_id.in_(ids), Claim.status == ClaimStatus.ACTIVE)
        .group_by(Claim.task_id)
    )
    counts = dict.fromkeys(ids, (0, 0))
    counts.update({task_id: (taken, int(walk_ins or 0)) for task_id, taken, walk_ins in rows})
    return counts


def task_starts_at(task: Task) -> datetime:
    return datetime.combine(task.date, task.start_time, tzinfo=task.site.zone)


def has_started(task: Task, now: datetime) -> bool:
    """The task is under way at `now`: started, not yet ended."""
    return task_starts_at(task) <= now < task_ends_at(task)


def task_rows(tasks: list[Task], now: datetime | None = None) -> list[TaskRow]:
    """Rows of these tasks, in the given order: two queries at most, whatever their number."""
    now = now or utcnow()
    counts = live_counts(t.id for t in tasks)
    return [TaskRow(t, *counts[t.id], refusal(t, counts[t.id][0], now), has_started(t, now)) for t in tasks]


def day_rows(site: Site, day: date, now: datetime | None = None) -> list[TaskRow]:
    """The site's tasks of `day` by start time, with live counts: the staff desk and the poster."""
    return task_rows(day_tasks(site, day), now)


def _counted_day_tasks(site: Site, day: date) -> list[tuple[Task, int, int]]:
    """The site's tasks of `day` by start time with their active claims and walk-ins, in one query.
    (The board's own: its site is `site`, already loaded, so only partners are joined.)"""
    active = sa.and_(Claim.task_id == Task.id, Claim.status == ClaimStatus.ACTIVE)
    taken = sa.select(sa.func.count()).where(active).correlate(Task).scalar_subquery()
    walk_ins = sa.select(sa.func.count()).where(active, Claim.source == ClaimSource.STAFF).correlate(Task)
    rows = db.session.execute(
        sa.select(Task, taken, walk_ins.scalar_subquery())
        .where(Task.site_id == site.id, Task.date == day)
        .options(so.joinedload(Task.partner))
        .order_by(Task.start_time, Task.title)
    )
    return [(task, taken or 0, walk_ins or 0) for task, taken, walk_ins in rows]


def board_rows(site: Site, day: date, now: datetime | None = None) -> list[TaskRow]:
    """The visitors' order: tasks that can be taken first, then full, cancelled, closed and ended ones."""
    now = now or utcnow()
    rows = [
        TaskRow(task, taken, walk_ins, refusal(task, taken, now), has_started(task, now))
        for task, taken, walk_ins in _counted_day_tasks(site, day)
    ]
    return sorted(rows, key=lambda row: BOARD_ORDER[row.state])


def task_row(task: Task, now: datetime | None = None) -> TaskRow:
    return task_rows([task], now)[0]


def day_closed(site: Site, day: date) -> bool:
    """Staff have closed the site's day (its figures are recorded)."""
    return db.session.scalar(sa.select(sa.exists().where(DayRecord.site_id == site.id, DayRecord.date == day)))


def next_task_date(site: Site, after: date) -> date | None:
    """The first day after `after` with a task posted at the site and not cancelled, if any."""
    return db.session.scalar(
        sa.select(sa.func.min(Task.date)).where(
            Task.site_id == site.id, Task.date > after, Task.status == TaskStatus.OPEN
        )
    )


@dataclass(frozen=True)
class BoardDay:
    """Today on the visitors' board: the cards, whether staff closed the day, and the next day with tasks."""

    rows: list[TaskRow]
    closed: bool
    next_date: date | None

    @property
    def over(self) -> bool:
        """Nothing left to choose: staff closed the day, or its tasks have ended (the rest called off).

        A day whose tasks were all called off is not "over": its cards say why, which visitors need to know."""
        states = {row.state for row in self.rows}
        return self.closed or (Availability.ENDED in states and not states & set(LIVE_STATES))


def board_day(site: Site, now: datetime | None = None) -> BoardDay:
    """What the board shows now: today's rows in the visitors' order, and what comes after."""
    now = now or utcnow()
    today = now.astimezone(site.zone).date()
    closed, next_date = _closed_and_next(site, today)
    return BoardDay(board_rows(site, today, now), closed, next_date)


def _closed_and_next(site: Site, day: date) -> tuple[bool, date | None]:
    """day_closed and next_task_date in one statement: the board asks both on every rendering."""
    closed = sa.exists().where(DayRecord.site_id == site.id, DayRecord.date == day)
    following = sa.select(sa.func.min(Task.date)).where(
        Task.site_id == site.id, Task.date > day, Task.status == TaskStatus.OPEN
    )
    row = db.session.execute(sa.select(closed, following.scalar_subquery())).one()
    return bool(row[0]), row[1]


def meal_offered(task: Task) -> bool:
    """Whether taking part in `task` comes with a meal: for a cancelled task, only while another
    task of its day at the site still offers one."""
    if not task.meal_included:
        return False
    if task.status != TaskStatus.CANCELLED:
        return True
    others = sa.select(Task.id).where(
        Task.site_id == task.site_id,
        Task.date == task.date,
        Task.id != task.id,
        Task.meal_included.is_(True),
        Task.status != TaskStatus.CANCELLED,
    )
    return bool(db.session.scalar(sa.select(others.exists())))
