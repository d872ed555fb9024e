"""Daily rollups: each site's past days summed up once, so the statistics read a few rows per day.

The rules:
- Only days before the horizon (UTC's yesterday) are rolled up: they are over in every time zone,
  so the kiosks no longer touch them. Later days are read from the raw rows (raw.py).
- A site's day is rolled up when it has a RolledUpDay row; its DailyRollup rows then hold its
  figures per partner, category and outcome unit. Days with no data get the marker too, so a
  missing marker always means "not rolled up yet".
- Any change of a rolled-up day's raw rows drops its rollup in the same transaction
  (staleness.py); `ensure` rebuilds missing days when the statistics read them. So the figures
  read from rollups are always those of the raw rows.
- Rebuilding writes first and reads after: on SQLite the first write takes the database's write
  lock, on PostgreSQL a per-site advisory lock that dropping also takes, so a change committed
  meanwhile is never summed up from an older snapshot.
These functions flush, never commit.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import DailyRollup, DayRecord, Feedback, PartnerLink, Proposal, RolledUpDay, Site, Task
from dropin.models.base import utcnow
from dropin.models.feedback import ANSWERS, QUESTIONS
from dropin.models.proposal import ProposalStatus
from dropin.models.rollup import ROLLUP_COUNTS, column_of
from dropin.models.task import TaskStatus
from dropin.stats.raw import CLAIM_FIGURES, claims_per_task, count_when

LOCK_KEY = 0x524F4C4C  # "ROLL": the first key of the per-site advisory locks
FEEDBACK_COLUMNS = tuple(f"{question}_{answer}" for question in QUESTIONS for answer in ANSWERS)
ONE_DAY = timedelta(days=1)


def horizon() -> date:
    """Days before this one may be rolled up: UTC's yesterday is today or later in every zone."""
    return utcnow().date() - ONE_DAY


def lock_sites(site_ids: Iterable[int]) -> None:
    """Serialise rebuilding and dropping a site's rollups (PostgreSQL; SQLite has one writer)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for site_id in sorted(set(site_ids)):
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY, site_id)))


def drop_days(spans: Iterable[tuple[int, date, date]]) -> None:
    """Forget the rollups of each (site, first day, last day): they are rebuilt when next read."""
    spans = list(spans)
    lock_sites(site_id for site_id, _first, _last in spans)
    for site_id, first, last in spans:
        for model in (DailyRollup, RolledUpDay):
            db.session.execute(
                sa.delete(model).where(model.site_id == site_id, model.date >= first, model.date <= last)
            )


def drop_all() -> None:
    """Forget every rollup (a change whose days are not known)."""
    lock_sites(db.session.scalars(sa.select(Site.id)))
    db.session.execute(sa.delete(DailyRollup))
    db.session.execute(sa.delete(RolledUpDay))


def _task_rows(site_id: int, first: date, last: date) -> dict[tuple, dict]:
    scope = [Task.site_id == site_id, Task.date >= first, Task.date <= last]
    claims = claims_per_task(scope)
    offered, closed = Task.status != TaskStatus.CANCELLED, Task.status == TaskStatus.CLOSED
    with_outcome = sa.and_(closed, Task.outcome_unit.is_not(None), Task.outcome_amount.is_not(None))
    key = (Task.date, Task.partner_id, Task.category, Task.outcome_unit)
    figures = ("all_tasks", "tasks", "closed_tasks", "places", "participations", *CLAIM_FIGURES, "outcome_tasks")
    names = [column_of(figure) for figure in figures]
    rows = db.session.execute(
        sa.select(
            *key,
            sa.func.count(),
            count_when(offered),
            count_when(closed),
            sa.func.sum(sa.case((offered, Task.capacity), else_=0)),
            sa.func.sum(sa.case((closed, Task.participants), else_=0)),
            *(sa.func.sum(sa.func.coalesce(claims.c[f"n_{name}"], 0)) for name in CLAIM_FIGURES),
            count_when(with_outcome),
            sa.func.sum(sa.case((with_outcome, Task.outcome_amount), else_=0)),
        )
        .outerjoin(claims, claims.c.task_id == Task.id)
        .where(*scope)
        .group_by(*key)
    )
    found = {}
    for day, partner_id, category, unit, *counts in rows:
        *counts, amount = counts
        found[(day, partner_id, category, unit)] = {
            **dict(zip(names, (int(n or 0) for n in counts))),
            "outcome_amount": float(amount or 0),
        }
    return found


def _feedback_rows(site_id: int, first: date, last: date) -> dict[tuple, dict]:
    key = (Feedback.date, Feedback.partner_id, Feedback.category)
    answers = (count_when(getattr(Feedback, q) == a) for q in QUESTIONS for a in ANSWERS)
    rows = db.session.execute(
        sa.select(*key, *answers)
        .where(Feedback.site_id == site_id, Feedback.date >= first, Feedback.date <= last)
        .group_by(*key)
    )
    return {(d, p, c, None): dict(zip(FEEDBACK_COLUMNS, (int(n or 0) for n in counts))) for d, p, c, *counts in rows}


def _proposal_rows(site_id: int, first: date, last: date) -> dict[tuple, dict]:
    key = (Proposal.date, PartnerLink.partner_id, Proposal.category)
    rows = db.session.execute(
        sa.select(*key, sa.func.count(), count_when(Proposal.status == ProposalStatus.APPROVED))
        .join(PartnerLink, PartnerLink.id == Proposal.link_id)
        .where(PartnerLink.site_id == site_id, Proposal.date >= first, Proposal.date <= last)
        .group_by(*key)
    )
    return {(d, p, c, None): {"proposals": int(n), "proposals_approved": int(a or 0)} for d, p, c, n, a in rows}


def rebuild_days(site_id: int, first: date, last: date) -> None:
    """Roll the site's days from `first` to `last` up again from the raw rows (days from the
    horizon on are left out: they are read raw)."""
    last = min(last, horizon() - ONE_DAY)
    if first > last:
        return
    drop_days([(site_id, first, last)])
    merged: dict[tuple, dict] = defaultdict(dict)
    for part in (_task_rows, _feedback_rows, _proposal_rows):
        for key, figures in part(site_id, first, last).items():
            merged[key].update(figures)
    empty = dict.fromkeys(ROLLUP_COUNTS, 0)
    rows = [
        {"site_id": site_id, "date": d, "partner_id": p, "category": c, "outcome_unit": u, "outcome_amount": 0.0}
        | empty
        | figures
        for (d, p, c, u), figures in merged.items()
    ]
    if rows:
        db.session.execute(sa.insert(DailyRollup), rows)
    meals = {
        day: (participants, others)
        for day, participants, others in db.session.execute(
            sa.select(DayRecord.date, DayRecord.meals_participants, DayRecord.meals_others).where(
                DayRecord.site_id == site_id, DayRecord.date >= first, DayRecord.date <= last
            )
        )
    }
    days, day = [], first
    while day <= last:
        participants, others = meals.get(day, (0, 0))
        days.append({"site_id": site_id, "date": day, "meals_participants": participants, "meals_others": others})
        day += ONE_DAY
    db.session.execute(sa.insert(RolledUpDay), days)


def rebuild_day(site_id: int, day: date) -> None:
    """Roll one site's day up again from its raw rows (a day from the horizon on is left out)."""
    rebuild_days(site_id, day, day)


def history_start() -> date | None:
    """The first day any raw row is about: nothing before it needs rolling up."""
    firsts = [
        sa.select(sa.func.min(column)).scalar_subquery()
        for column in (Task.date, DayRecord.date, Feedback.date, Proposal.date)
    ]
    return min((d for d in db.session.execute(sa.select(*firsts)).one() if d is not None), default=None)


def _missing_spans(site_ids: list[int], first: date, last: date) -> list[tuple[int, date, date]]:
    have = set(
        db.session.execute(
            sa.select(RolledUpDay.site_id, RolledUpDay.date).where(
                RolledUpDay.site_id.in_(site_ids), RolledUpDay.date >= first, RolledUpDay.date <= last
            )
        ).tuples()
    )
    spans = []
    for site_id in site_ids:
        start, day = None, first
        while day <= last + ONE_DAY:
            missing = day <= last and (site_id, day) not in have
            if missing and start is None:
                start = day
            elif not missing and start is not None:
                spans.append((site_id, start, day - ONE_DAY))
                start = None
            day += ONE_DAY
    return spans


def ensure(site: Site | None, first: date, last: date) -> int:
    """Roll up the days from `first` to `last` (of one site, or of all) that are not yet: one count
    of markers when all are. Returns how many site-days were rolled up now."""
    last = min(last, horizon() - ONE_DAY)
    start = history_start()
    if start is None or max(first, start) > last:
        return 0
    first = max(first, start)
    site_ids = [site.id] if site else list(db.session.scalars(sa.select(Site.id).order_by(Site.id)))
    where = [RolledUpDay.date >= first, RolledUpDay.date <= last]
    if site:
        where.append(RolledUpDay.site_id == site.id)
    have = db.session.scalar(sa.select(sa.func.count()).select_from(RolledUpDay).where(*where))
    if have == len(site_ids) * ((last - first).days + 1):
        return 0
    spans = _missing_spans(site_ids, first, last)
    for site_id, span_first, span_last in spans:
        rebuild_days(site_id, span_first, span_last)
    db.session.flush()
    return sum((span_last - span_first).days + 1 for _site, span_first, span_last in spans)
