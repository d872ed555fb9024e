"""What closing a day reads: the tasks still running, and the figures the close form offers.

Reopening today's day (service.reopen_day) removes its DayRecord, so the statistics never count an
open day, and puts its closed tasks back to open. What staff typed at the close is not lost:
each task keeps its participants and outcome on the task itself, and the meals and the note are
read back from the reopen's audit event, the one place that holds them after the record is gone.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa

from dropin.claims.service import task_ends_at
from dropin.extensions import db
from dropin.models import AuditEvent, Claim, Site, Task
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.day import DayRecord
from dropin.models.task import TaskStatus
from dropin.sites import day_tasks


def unfinished_tasks(site: Site, day: date, now: datetime | None = None) -> list[Task]:
    """The day's open tasks that have not ended yet at the site's local `now`, by end time."""
    now = now or site.now()
    running = [t for t in day_tasks(site, day) if t.status == TaskStatus.OPEN and task_ends_at(t) > now]
    return sorted(running, key=task_ends_at)


def participants_prefill(tasks: list[Task]) -> dict[int, int]:
    """What the close form offers as each task's participants.

    The figure typed at an earlier close, when the day was reopened; else, where staff marked any
    visitor arrived, the arrived ones plus the walk-ins (taken at the desk, so present); else
    every active claim, walk-ins included.
    """
    ids = [t.id for t in tasks]
    if not ids:
        return {}
    arrived = Claim.arrived_at.is_not(None)
    present = sa.or_(arrived, Claim.source == ClaimSource.STAFF)
    rows = db.session.execute(
        sa.select(
            Claim.task_id,
            sa.func.count(),
            sa.func.sum(sa.case((arrived, 1), else_=0)),
            sa.func.sum(sa.case((present, 1), else_=0)),
        )
        .where(Claim.task_id.in_(ids), Claim.status == ClaimStatus.ACTIVE)
        .group_by(Claim.task_id)
    )
    counts = {task_id: (taken, int(checked or 0), int(here or 0)) for task_id, taken, checked, here in rows}
    prefill = {}
    for task in tasks:
        taken, checked, here = counts.get(task.id, (0, 0, 0))
        if task.participants is not None:
            prefill[task.id] = task.participants
        else:
            prefill[task.id] = here if checked else taken
    return prefill


@dataclass(frozen=True)
class DayFigures:
    meals_participants: int
    meals_others: int
    note: str | None


def earlier_figures(site: Site, day: date) -> DayFigures | None:
    """The meals and note recorded for the day: its record's, or those of its last reopening."""
    record = db.session.scalar(sa.select(DayRecord).where(DayRecord.site_id == site.id, DayRecord.date == day))
    if record is not None:
        return DayFigures(record.meals_participants, record.meals_others, record.note)
    # Only today is reopened, so its reopenings were logged since the day began.
    began = datetime.combine(day, time(0), tzinfo=site.zone)
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "day.reopen", AuditEvent.site_id == site.id, AuditEvent.at >= began)
        .order_by(AuditEvent.id.desc())
    )
    for event in events:
        before = event.before or {}
        if before.get("date") == day.isoformat():
            return DayFigures(before["meals_participants"], before["meals_others"], before.get("note"))
    return None
