"""The day desk's rules: posting, copying, editing, cancelling and closing a day's tasks."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from dropin import audit
from dropin.claims.service import active_counts, claim_place, end_claims, lock_task
from dropin.extensions import db
from dropin.models import Claim, DayRecord, Site, Task, TaskTemplate
from dropin.models.base import utcnow
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.task import TaskStatus
from dropin.models.task_content import CONTENT_FIELDS, ends_at
from dropin.sites import day_tasks
from dropin.staff.closing import unfinished_tasks
from dropin.stats import rollups

# What a task and a template share, and what the audit log keeps of a task.
TASK_FIELDS = CONTENT_FIELDS + ("partner_id",)
AUDIT_FIELDS = ("date", "template_id") + TASK_FIELDS + ("status", "cancel_reason", "participants", "outcome_amount")


class DayClosed(Exception):
    """The day is closed: only admins may change it."""


class CapacityBelowClaims(Exception):
    """Capacity would go below the places already taken; needs an explicit choice."""

    def __init__(self, active: int):
        super().__init__(active)
        self.active = active


class EditedMeanwhile(Exception):
    """Someone else saved the task after this form was opened: show the current values and ask again."""


class EndAlreadyPast(Exception):
    """The new task's end has already passed: it is added only once staff confirm it."""


class NotCancellable(Exception):
    pass


class AlreadyPosted(Exception):
    """Another request posted the same templates a moment earlier (a double tap)."""


class DayInFuture(Exception):
    """A day is closed once it has happened, not before."""


class TasksUnfinished(Exception):
    """Some of the day's tasks have not ended yet: closing now needs an explicit confirmation."""

    def __init__(self, tasks: list[Task]):
        super().__init__(len(tasks))
        self.tasks = tasks


class NotReopenable(Exception):
    """Only today's closed day may be reopened (past days keep their figures)."""


def day_record(site: Site, day: date) -> DayRecord | None:
    return db.session.scalar(sa.select(DayRecord).where(DayRecord.site_id == site.id, DayRecord.date == day))


@dataclass(frozen=True)
class DayState:
    """What may be done with a site's day, decided here once: views and templates read it.

    A day is closed once its figures are recorded. After that only admins may still plan it
    (add, edit, cancel tasks) or change its figures; nobody takes walk-ins on it. A day is
    closed once it has begun, never ahead. Today's closed day may be reopened by its staff.
    """

    day: date
    today: date
    record: DayRecord | None
    admin: bool

    @property
    def closed(self) -> bool:
        return self.record is not None

    @property
    def is_today(self) -> bool:
        return self.day == self.today

    @property
    def future(self) -> bool:
        return self.day > self.today

    @property
    def plannable(self) -> bool:
        """Tasks may be posted, copied, added, edited and cancelled."""
        return not self.closed or self.admin

    @property
    def walk_ins_open(self) -> bool:
        """Staff may take a place for a visitor at the desk (only today, never on a closed day)."""
        return self.is_today and not self.closed

    @property
    def closable(self) -> bool:
        """The day may be closed now, or (admins) its recorded figures changed."""
        return not self.future and self.plannable

    @property
    def reopenable(self) -> bool:
        """Staff may reopen today's closed day, until the site's midnight."""
        return self.closed and self.is_today


def day_state(site: Site, day: date, admin: bool = False) -> DayState:
    return DayState(day, site.today(), day_record(site, day), admin)


def ensure_open(site: Site, day: date, admin: bool = False) -> None:
    if not day_state(site, day, admin).plannable:
        raise DayClosed()


def due_templates(site: Site, day: date) -> list[TaskTemplate]:
    """Templates running on that weekday, not paused, and not yet posted for the day."""
    posted = set(
        db.session.scalars(
            sa.select(Task.template_id).where(Task.site_id == site.id, Task.date == day, Task.template_id.is_not(None))
        )
    )
    return [
        t
        for t in db.session.scalars(
            sa.select(TaskTemplate)
            .where(TaskTemplate.site_id == site.id, TaskTemplate.paused.is_(False))
            .order_by(TaskTemplate.start_time)
        )
        if t.runs_on(day.isoweekday()) and t.id not in posted
    ]


def _add_tasks(site: Site, day: date, sources: list, action: str) -> list[Task]:
    """New tasks on `day` with the content of `sources` (templates or earlier tasks), audited."""
    created = [
        Task(
            site=site,
            date=day,
            template_id=source.template_id if isinstance(source, Task) else source.id,
            **{f: getattr(source, f) for f in TASK_FIELDS},
        )
        for source in sources
    ]
    db.session.add_all(created)
    try:
        db.session.flush()
    except IntegrityError as error:  # (template, date) is unique: someone else was quicker
        raise AlreadyPosted() from error
    for task in created:
        audit.record(action, "task", task.id, site.id, after=audit.snapshot(task, AUDIT_FIELDS))
    return created


def post_from_templates(site: Site, day: date) -> list[Task]:
    """Post the day's tasks from the templates due that weekday; templates already posted are skipped."""
    ensure_open(site, day)
    return _add_tasks(site, day, due_templates(site, day), "task.post")


def copy_day(site: Site, source: date, target: date) -> list[Task]:
    """Copy the source day's tasks that were not cancelled; tasks already on the target day are skipped."""
    ensure_open(site, target)
    there = day_tasks(site, target)
    existing = {(t.title, t.start_time) for t in there}
    posted = {t.template_id for t in there if t.template_id}
    wanted = [
        old
        for old in day_tasks(site, source)
        if old.status != TaskStatus.CANCELLED
        and (old.title, old.start_time) not in existing
        and not (old.template_id and old.template_id in posted)
    ]
    return _add_tasks(site, target, wanted, "task.copy")


def create_task(
    site: Site, values: dict, admin: bool = False, past_end_confirmed: bool = False, now: datetime | None = None
) -> Task:
    """Add a one-off task. One whose end has already passed needs `past_end_confirmed` (EndAlreadyPast)."""
    ensure_open(site, values["date"], admin)
    if not past_end_confirmed and ends_at(values["date"], values["end_time"], site.zone) <= (now or utcnow()):
        raise EndAlreadyPast()
    task = Task(site=site, **values)
    db.session.add(task)
    db.session.flush()
    audit.record("task.create", "task", task.id, site.id, after=audit.snapshot(task, AUDIT_FIELDS))
    return task


def update_task(
    task: Task,
    values: dict,
    allow_below_claims: bool = False,
    admin: bool = False,
    revision: int | None = None,
    seen_active: int | None = None,
) -> Task:
    """Change a task, as staff saw it at `revision` (the form's; None skips the check).

    Saving over a newer change refuses with EditedMeanwhile: nothing of either change is lost.
    Cutting capacity below the active claims needs `allow_below_claims`: the newest claims beyond
    the new capacity are then cancelled; if more claims arrived after staff saw `seen_active` of
    them, CapacityBelowClaims asks again. Every change bumps the task's revision.
    """
    ensure_open(task.site, task.date, admin)
    if "date" in values and values["date"] != task.date:
        ensure_open(task.site, values["date"], admin)
        # Moved to another day, it is no longer that template's task for its first day.
        values = {**values, "template_id": None}
    lock_task(task)
    db.session.refresh(task)
    if revision is not None and revision != task.revision:
        raise EditedMeanwhile()
    active = active_counts([task.id])[task.id]
    capacity = values.get("capacity", task.capacity)
    # A walk-in over capacity does not make every later edit a cut: only lowering the capacity is.
    if capacity < active and capacity < task.capacity:
        if not allow_below_claims or (seen_active is not None and active > seen_active):
            raise CapacityBelowClaims(active)
        extra = db.session.scalars(
            sa.select(Claim.id)
            .where(Claim.task_id == task.id, Claim.status == ClaimStatus.ACTIVE)
            .order_by(Claim.created_at.desc(), Claim.id.desc())
            .limit(active - capacity)
        ).all()
        end_claims(ClaimStatus.CANCELLED, Claim.id.in_(extra))
    if audit.update(task, values, AUDIT_FIELDS, "task.update", "task", task.site_id):
        task.revision += 1
        db.session.flush()
    return task


def cancel_task(task: Task, reason: str, admin: bool = False) -> int:
    """Cancel with a reason shown to visitors; every active claim is released. Returns how many."""
    ensure_open(task.site, task.date, admin)
    lock_task(task)
    db.session.refresh(task)  # read after the lock: a cancel a moment earlier is seen here
    if task.status != TaskStatus.OPEN:
        raise NotCancellable()
    # Only the claims still active under the lock: a place given back just before stays given back.
    released = end_claims(ClaimStatus.CANCELLED, Claim.task_id == task.id)
    before = audit.snapshot(task, ("status", "cancel_reason"))
    task.status, task.cancel_reason = TaskStatus.CANCELLED, reason
    db.session.flush()
    audit.record(
        "task.cancel",
        "task",
        task.id,
        task.site_id,
        before=before,
        after={"status": task.status, "cancel_reason": reason, "claims_released": released},
    )
    return released


def walk_in(task: Task, over_capacity: bool = False) -> tuple[Claim, str]:
    """Staff take a place for a visitor at the desk: a claim with source 'staff'.

    A full task refuses (TaskFull) unless staff confirmed `over_capacity`: the place is then
    added beyond the capacity and marked so, in the claim and in the audit log."""
    if day_state(task.site, task.date).closed:
        raise DayClosed()
    claim, token = claim_place(task, ClaimSource.STAFF, over_capacity=over_capacity)
    after = {"source": ClaimSource.STAFF} | ({"over_capacity": True} if claim.over_capacity else {})
    audit.record("claim.walk_in", "task", task.id, task.site_id, after=after)
    return claim, token


@dataclass(frozen=True)
class TaskResult:
    participants: int
    outcome: float | None


def close_day(
    site: Site,
    day: date,
    results: dict[int, TaskResult],
    meals_participants: int,
    meals_others: int,
    note: str | None,
    user_id: int | None,
    admin: bool = False,
    confirm_unfinished: bool = False,
    now: datetime | None = None,
) -> DayRecord:
    """Record the day's figures. Closing again (admins only) updates them, audited.

    While any of the day's open tasks has not ended, closing is refused with TasksUnfinished
    unless staff confirmed it (`confirm_unfinished`): a close marks every task closed on the board.
    """
    state = day_state(site, day, admin)
    if state.future:
        raise DayInFuture()
    if not state.closable:
        raise DayClosed()
    running = unfinished_tasks(site, day, now)
    if running and not confirm_unfinished:
        raise TasksUnfinished(running)
    record = state.record
    tasks = {t.id: t for t in day_tasks(site, day)}
    before = (
        {"meals_participants": record.meals_participants, "meals_others": record.meals_others, "note": record.note}
        if record
        else None
    )
    task_before = {tid: audit.snapshot(t, ("participants", "outcome_amount", "status")) for tid, t in tasks.items()}
    for task_id, result in results.items():
        task = tasks[task_id]
        if task.status == TaskStatus.CANCELLED:
            continue
        task.participants, task.outcome_amount = result.participants, result.outcome
        task.status = TaskStatus.CLOSED
    if record is None:
        record = DayRecord(site_id=site.id, date=day, closed_by_id=user_id)
        db.session.add(record)
    record.meals_participants, record.meals_others, record.note = meals_participants, meals_others, note or None
    try:
        db.session.flush()
    except IntegrityError as error:  # closed by someone else a moment ago
        raise DayClosed() from error
    after = {
        "meals_participants": meals_participants,
        "meals_others": meals_others,
        "note": record.note,
        "tasks": {tid: audit.snapshot(t, ("participants", "outcome_amount")) for tid, t in tasks.items()},
    }
    audit.record(
        "day.reclose" if before else "day.close",
        "day",
        record.id,
        site.id,
        before={**before, "tasks": task_before} if before else None,
        after=after,
    )
    rollups.rebuild_day(site.id, day)  # a past day's statistics, summed up again now
    return record


def reopen_day(site: Site, day: date) -> list[Task]:
    """Open today's closed day again (any staff of the site): its closed tasks go back to open and
    its record is removed, audited with the figures it held. The tasks keep their participants and
    outcome, and closing.earlier_figures reads the meals and note back, for the next close.
    Returns the reopened tasks."""
    state = day_state(site, day)
    if not state.reopenable:
        raise NotReopenable()
    record = state.record
    reopened = [t for t in day_tasks(site, day) if t.status == TaskStatus.CLOSED]
    for task in reopened:
        task.status = TaskStatus.OPEN
    before = {
        "date": day.isoformat(),
        "meals_participants": record.meals_participants,
        "meals_others": record.meals_others,
        "note": record.note,
        "tasks": {task.id: TaskStatus.CLOSED for task in reopened},
    }
    audit.record(
        "day.reopen", "day", record.id, site.id, before=before, after={"tasks": {t.id: t.status for t in reopened}}
    )
    db.session.delete(record)
    db.session.flush()
    return reopened
