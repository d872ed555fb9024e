"""The raw figures of rolled-up days, read in three queries: one row per day, one per partner,
category and outcome unit, and the days and meals. All sites together are read from the sums of
all sites (all_sites.py); a site, partner or category from the sites' rollups (rollups.py).
"""

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AllSitesRollup, DailyRollup, RolledUpDate, RolledUpDay
from dropin.models.feedback import ANSWERS, QUESTIONS
from dropin.models.rollup import column_of
from dropin.stats.figures import Measures, Outcome, PeriodFigures, RawStats
from dropin.stats.query import StatsQuery
from dropin.stats.raw import CLAIM_FIGURES

MEASURES = ("tasks", "places", "participations", "claims")
# Summed per day: the period's figures, those of the day's breakdown row and whether it has one.
DAY_SUMS = (
    "all_tasks",
    "tasks",
    "places",
    "participations",
    *CLAIM_FIGURES,
    *(f"{q}_{a}" for q in QUESTIONS for a in ANSWERS),
    "proposals",
    "proposals_approved",
)
ADDED = ("tasks", "places", "participations", *CLAIM_FIGURES, "proposals", "proposals_approved")


def _where(R, q: StatsQuery, first: date, last: date) -> list:
    where = [R.date >= first, R.date <= last]
    if q.site_ids is not None:
        where.append(R.site_id.in_(q.site_ids))
    if q.partner:
        where.append(R.partner_id == q.partner.id)
    if q.category:
        where.append(R.category == q.category)
    return where


def _by_day(R, q: StatsQuery, last: date, current: PeriodFigures, previous: PeriodFigures) -> dict[date, Measures]:
    """The day's figures; from the sites' rollups also how many sites had tasks and closed the day."""
    per_site = R is DailyRollup
    days = (
        (
            sa.func.count(sa.distinct(sa.case((R.tasks > 0, R.site_id)))),
            sa.func.count(sa.distinct(sa.case((R.closed_tasks > 0, R.site_id)))),
        )
        if per_site
        else (sa.literal(0), sa.literal(0))
    )
    rows = db.session.execute(
        sa.select(R.date, *days, *(sa.func.sum(getattr(R, column_of(name))) for name in DAY_SUMS))
        .where(*_where(R, q, q.previous_start, last))
        .group_by(R.date)
    )
    by_day = {}
    for day, open_days, closed_days, *sums in rows:
        figures = current if day >= q.start else previous
        sums = dict(zip(DAY_SUMS, (int(n or 0) for n in sums)))
        figures.days += open_days
        figures.closed_days += closed_days
        for name in ADDED:
            setattr(figures, name, getattr(figures, name) + sums[name])
        for question in QUESTIONS:
            for answer in ANSWERS:
                figures.feedback[question][answer] += sums[f"{question}_{answer}"]
        if day >= q.start and sums["all_tasks"]:
            by_day[day] = Measures(*(sums[name] for name in MEASURES))
    return by_day


def _by_partner_and_category(R, q: StatsQuery, last: date) -> tuple[dict, dict, list[Outcome]]:
    key = (R.partner_id, R.category, R.outcome_unit)
    sums = ("all_tasks", *MEASURES, "outcome_tasks", "outcome_amount")
    rows = db.session.execute(
        sa.select(*key, *(sa.func.sum(getattr(R, name)) for name in sums))
        .where(*_where(R, q, q.start, last))
        .group_by(*key)
    )
    by_partner, by_category, outcomes = defaultdict(Measures), defaultdict(Measures), []
    for partner_id, category, unit, all_tasks, *counts in rows:
        *counts, outcome_tasks, amount = counts
        if all_tasks:
            measures = Measures(*(int(n or 0) for n in counts))
            by_partner[partner_id].add(measures)
            by_category[category].add(measures)
        if outcome_tasks:
            outcomes.append(Outcome(partner_id, category, unit, float(amount or 0), int(outcome_tasks)))
    return dict(by_partner), dict(by_category), outcomes


def _by_site(q: StatsQuery, last: date) -> dict[int, Measures]:
    """The current period per site, from the sites' rollups: the comparison of sites."""
    R = DailyRollup
    rows = db.session.execute(
        sa.select(R.site_id, *(sa.func.sum(getattr(R, name)) for name in ("all_tasks", *MEASURES)))
        .where(*_where(R, q, q.start, last))
        .group_by(R.site_id)
    )
    return {site_id: Measures(*(int(n or 0) for n in counts)) for site_id, all_tasks, *counts in rows if all_tasks}


def _per_period(model, q: StatsQuery, last: date, columns: tuple, where: list) -> list[tuple[int, ...]]:
    """Each column summed over the current and over the previous period."""
    is_current = model.date >= q.start
    row = db.session.execute(
        sa.select(
            *(
                sa.func.sum(sa.case((when, getattr(model, column)), else_=0))
                for when in (is_current, sa.not_(is_current))
                for column in columns
            )
        ).where(model.date >= q.previous_start, model.date <= last, *where)
    ).one()
    values = [int(n or 0) for n in row]
    return [tuple(values[: len(columns)]), tuple(values[len(columns) :])]


def collect_rolled(q: StatsQuery, until: date, all_sites: bool = False) -> RawStats:
    """Every raw figure of the query's rolled-up days before `until` (rollups.ensure_span built them;
    with `all_sites`, all_sites.ensure added them up too)."""
    current, previous = PeriodFigures(), PeriodFigures()
    last = min(q.end, until - timedelta(days=1))
    R = AllSitesRollup if all_sites else DailyRollup
    by_day = _by_day(R, q, last, current, previous)
    by_partner, by_category, outcomes = _by_partner_and_category(R, q, last) if last >= q.start else ({}, {}, [])
    if all_sites:
        columns = ("days", "closed_days", "meals_participants", "meals_others")
        for figures, sums in zip((current, previous), _per_period(RolledUpDate, q, last, columns, [])):
            figures.days, figures.closed_days, figures.meals_participants, figures.meals_others = sums
    elif not q.narrowed_below_day:
        where = [RolledUpDay.site_id.in_(q.site_ids)] if q.site_ids is not None else []
        columns = ("meals_participants", "meals_others")
        for figures, sums in zip((current, previous), _per_period(RolledUpDay, q, last, columns, where)):
            figures.meals_participants, figures.meals_others = sums
    by_site = _by_site(q, last) if last >= q.start and q.site is None else {}
    return RawStats(current, previous, by_day, by_partner, by_category, outcomes, by_site=by_site)
