"""The raw figures straight from the raw rows, aggregated in SQL: one GROUP BY query per family of
figures (tasks with their claims, closed days, feedback, proposals, outcomes), whatever the number
of days, tasks or partners. Nothing here is suppressed yet: see tables.py.

The statistics read days that are not rolled up yet (today, yesterday) from here, and tests check
the rollups against it. Every date is the site's local date (Task.date, DayRecord.date and
Feedback.date already are). The current and the previous period are read by the same query, told
apart by a CASE column.
"""

from collections import defaultdict
from datetime import date

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Claim, DayRecord, Feedback, PartnerLink, Proposal, Task
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.feedback import ANSWERS, QUESTIONS
from dropin.models.proposal import ProposalStatus
from dropin.models.task import TaskStatus
from dropin.stats.figures import Measures, Outcome, PeriodFigures, RawStats
from dropin.stats.query import StatsQuery


def _scope(q: StatsQuery, start: date, end: date, day, site, partner, category) -> list:
    """The period and the query's filters, on whichever columns hold them."""
    where = [day >= start, day <= end]
    if q.site_ids is not None:
        where.append(site.in_(q.site_ids))
    if q.partner:
        where.append(partner == q.partner.id)
    if q.category:
        where.append(category == q.category)
    return where


def _task_scope(q: StatsQuery, start: date, end: date) -> list:
    return _scope(q, start, end, Task.date, Task.site_id, Task.partner_id, Task.category)


def _is_current(column, q: StatsQuery):
    """1 in the current period, 0 in the previous. Build it once per query and reuse the object in
    GROUP BY: PostgreSQL only matches the two when they share one bound parameter."""
    return sa.case((column >= q.start, 1), else_=0)


def count_when(condition):
    return sa.func.sum(sa.case((condition, 1), else_=0))


CLAIM_FIGURES = (
    "claims",
    "kept",
    "released",
    "cancelled",
    "walk_ins",
    "first_time",
    "returning",
    "arrived",
    "checked_claims",
)


def claims_per_task(scope: list):
    """Each task's claims counted by status, source, first-time answer and arrival, in one pass over claims.
    The n_ prefix keeps the labels clear of SQL keywords (RETURNING).

    Arrivals are optional check-ins: a task's claims count towards 'arrived of claimed' only when
    staff marked at least one arrival there, and then the places still held plus those whose
    visitor arrived before giving the place back."""
    arrived = count_when(Claim.arrived_at.is_not(None))
    held = count_when(sa.or_(Claim.status == ClaimStatus.ACTIVE, Claim.arrived_at.is_not(None)))
    return (
        sa.select(
            Claim.task_id,
            sa.func.count().label("n_claims"),
            count_when(Claim.status == ClaimStatus.ACTIVE).label("n_kept"),
            count_when(Claim.status == ClaimStatus.RELEASED).label("n_released"),
            count_when(Claim.status == ClaimStatus.CANCELLED).label("n_cancelled"),
            count_when(Claim.source == ClaimSource.STAFF).label("n_walk_ins"),
            count_when(Claim.first_time.is_(True)).label("n_first_time"),
            count_when(Claim.first_time.is_(False)).label("n_returning"),
            arrived.label("n_arrived"),
            sa.case((arrived > 0, held), else_=0).label("n_checked_claims"),
        )
        .join(Task, Task.id == Claim.task_id)
        .where(*scope)
        .group_by(Claim.task_id)
        .subquery()
    )


def _tasks_and_claims(
    q: StatsQuery, first: date, current: PeriodFigures, previous: PeriodFigures
) -> tuple[dict, dict, dict, dict]:
    """Tasks with their claims per day, site, partner and category, for both periods.

    One query gives every task and claim figure of both periods and the current period's
    breakdowns by day (folded into weeks, months and weekdays later), partner and category.
    """
    scope = _task_scope(q, first, q.end)
    claims = claims_per_task(scope)
    offered = Task.status != TaskStatus.CANCELLED
    rows = db.session.execute(
        sa.select(
            Task.date,
            Task.site_id,
            Task.partner_id,
            Task.category,
            count_when(Task.status == TaskStatus.CLOSED),
            count_when(offered),
            sa.func.sum(sa.case((offered, Task.capacity), else_=0)),
            sa.func.sum(sa.case((Task.status == TaskStatus.CLOSED, Task.participants), else_=0)),
            *(sa.func.sum(sa.func.coalesce(claims.c[f"n_{name}"], 0)) for name in CLAIM_FIGURES),
        )
        .outerjoin(claims, claims.c.task_id == Task.id)
        .where(*scope)
        .group_by(Task.date, Task.site_id, Task.partner_id, Task.category)
    )
    by_day, by_partner, by_category, by_site = (defaultdict(Measures) for _ in range(4))
    open_days: dict[bool, set] = {True: set(), False: set()}
    closed_days: dict[bool, set] = {True: set(), False: set()}
    for day, site_id, partner_id, category, closed, tasks, places, participations, *counts in rows:
        is_current = day >= q.start
        figures = current if is_current else previous
        counts = [int(n or 0) for n in counts]
        measures = Measures(int(tasks or 0), int(places or 0), int(participations or 0), counts[0])
        figures.tasks += measures.tasks
        figures.places += measures.places
        figures.participations += measures.participations
        for name, n in zip(CLAIM_FIGURES, counts):
            setattr(figures, name, getattr(figures, name) + n)
        if measures.tasks:
            open_days[is_current].add((site_id, day))
        if closed:
            closed_days[is_current].add((site_id, day))
        if is_current:
            for breakdown, key in (
                (by_day, day),
                (by_partner, partner_id),
                (by_category, category),
                (by_site, site_id),
            ):
                breakdown[key].add(measures)
    current.days, previous.days = len(open_days[True]), len(open_days[False])
    current.closed_days, previous.closed_days = len(closed_days[True]), len(closed_days[False])
    return dict(by_day), dict(by_partner), dict(by_category), dict(by_site)


def _meals(q: StatsQuery, first: date, figures: tuple[PeriodFigures, PeriodFigures]) -> None:
    where = [DayRecord.date >= first, DayRecord.date <= q.end]
    if q.site_ids is not None:
        where.append(DayRecord.site_id.in_(q.site_ids))
    period = _is_current(DayRecord.date, q)
    rows = db.session.execute(
        sa.select(period, sa.func.sum(DayRecord.meals_participants), sa.func.sum(DayRecord.meals_others))
        .where(*where)
        .group_by(period)
    )
    for is_current, participants, others in rows:
        f = figures[is_current]
        f.meals_participants, f.meals_others = int(participants or 0), int(others or 0)


def _feedback(q: StatsQuery, first: date, figures: tuple[PeriodFigures, PeriodFigures]) -> None:
    where = _scope(q, first, q.end, Feedback.date, Feedback.site_id, Feedback.partner_id, Feedback.category)
    columns = [(question, answer) for question in QUESTIONS for answer in ANSWERS]
    period = _is_current(Feedback.date, q)
    rows = db.session.execute(
        sa.select(period, *(count_when(getattr(Feedback, question) == answer) for question, answer in columns))
        .where(*where)
        .group_by(period)
    )
    for is_current, *counts in rows:
        for (question, answer), count in zip(columns, counts):
            figures[is_current].feedback[question][answer] = int(count or 0)


def _proposals(q: StatsQuery, first: date, figures: tuple[PeriodFigures, PeriodFigures]) -> None:
    """Tasks partners proposed for days in the period (their say in what gets done)."""
    where = _scope(q, first, q.end, Proposal.date, PartnerLink.site_id, PartnerLink.partner_id, Proposal.category)
    period = _is_current(Proposal.date, q)
    rows = db.session.execute(
        sa.select(period, sa.func.count(), count_when(Proposal.status == ProposalStatus.APPROVED))
        .join(PartnerLink, PartnerLink.id == Proposal.link_id)
        .where(*where)
        .group_by(period)
    )
    for is_current, proposed, approved in rows:
        figures[is_current].proposals, figures[is_current].proposals_approved = int(proposed), int(approved or 0)


def _outcomes(q: StatsQuery, first: date) -> list[Outcome]:
    rows = db.session.execute(
        sa.select(Task.partner_id, Task.category, Task.outcome_unit, sa.func.sum(Task.outcome_amount), sa.func.count())
        .where(
            *_task_scope(q, first, q.end),
            Task.status == TaskStatus.CLOSED,
            Task.outcome_unit.is_not(None),
            Task.outcome_amount.is_not(None),
        )
        .group_by(Task.partner_id, Task.category, Task.outcome_unit)
    )
    return [
        Outcome(partner_id, category, unit, float(amount or 0), int(tasks))
        for partner_id, category, unit, amount, tasks in rows
    ]


def collect_raw(q: StatsQuery, since: date | None = None) -> RawStats:
    """Every raw figure of the query, of the days from `since` on (all days when None), in five queries
    (four with a partner or category) whatever the amount of data."""
    current, previous = PeriodFigures(), PeriodFigures()
    both = (previous, current)  # indexed by the CASE column: 0 previous, 1 current
    first = max(q.previous_start, since) if since else q.previous_start
    by_day, by_partner, by_category, by_site = _tasks_and_claims(q, first, current, previous)
    if not q.narrowed_below_day:
        _meals(q, first, both)
    _feedback(q, first, both)
    _proposals(q, first, both)
    outcomes = _outcomes(q, max(q.start, first))
    return RawStats(current, previous, by_day, by_partner, by_category, outcomes, by_site=by_site)
