"""The raw figures of rolled-up days, read from the daily rollups in three queries: one row per day,
one per partner, category and outcome unit, and the meals. See rollups.py for how days get there.
"""

from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import DailyRollup as R
from dropin.models import RolledUpDay
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


def _where(q: StatsQuery, first: date, last: date) -> list:
    where = [R.date >= first, R.date <= last]
    if q.site:
        where.append(R.site_id == q.site.id)
    if q.partner:
        where.append(R.partner_id == q.partner.id)
    if q.category:
        where.append(R.category == q.category)
    return where


def _distinct_sites(condition):
    return sa.func.count(sa.distinct(sa.case((condition, R.site_id))))


def _by_day(q: StatsQuery, last: date, current: PeriodFigures, previous: PeriodFigures) -> dict[date, Measures]:
    rows = db.session.execute(
        sa.select(
            R.date,
            _distinct_sites(R.tasks > 0),
            _distinct_sites(R.closed_tasks > 0),
            *(sa.func.sum(getattr(R, column_of(name))) for name in DAY_SUMS),
        )
        .where(*_where(q, q.previous_start, last))
        .group_by(R.date)
    )
    by_day = {}
    for day, days, closed_days, *sums in rows:
        figures = current if day >= q.start else previous
        sums = dict(zip(DAY_SUMS, (int(n or 0) for n in sums)))
        figures.days += days
        figures.closed_days += closed_days
        for name in ("tasks", "places", "participations", *CLAIM_FIGURES, "proposals", "proposals_approved"):
            setattr(figures, name, getattr(figures, name) + sums[name])
        for question in QUESTIONS:
            for answer in ANSWERS:
                figures.feedback[question][answer] += sums[f"{question}_{answer}"]
        if day >= q.start and sums["all_tasks"]:
            by_day[day] = Measures(*(sums[name] for name in MEASURES))
    return by_day


def _by_partner_and_category(q: StatsQuery, last: date) -> tuple[dict, dict, list[Outcome]]:
    key = (R.partner_id, R.category, R.outcome_unit)
    sums = ("all_tasks", *MEASURES, "outcome_tasks", "outcome_amount")
    rows = db.session.execute(
        sa.select(*key, *(sa.func.sum(getattr(R, name)) for name in sums))
        .where(*_where(q, q.start, last))
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


def _meals(q: StatsQuery, last: date, current: PeriodFigures, previous: PeriodFigures) -> None:
    where = [RolledUpDay.date >= q.previous_start, RolledUpDay.date <= last]
    if q.site:
        where.append(RolledUpDay.site_id == q.site.id)
    is_current = RolledUpDay.date >= q.start
    row = db.session.execute(
        sa.select(
            *(
                sa.func.sum(sa.case((when, column), else_=0))
                for when in (is_current, sa.not_(is_current))
                for column in (RolledUpDay.meals_participants, RolledUpDay.meals_others)
            )
        ).where(*where)
    ).one()
    current.meals_participants, current.meals_others, previous.meals_participants, previous.meals_others = (
        int(n or 0) for n in row
    )


def collect_rolled(q: StatsQuery, until: date) -> RawStats:
    """Every raw figure of the query's rolled-up days before `until` (rollups.ensure built them)."""
    current, previous = PeriodFigures(), PeriodFigures()
    last = min(q.end, until - timedelta(days=1))
    by_day = _by_day(q, last, current, previous)
    by_partner, by_category, outcomes = _by_partner_and_category(q, last) if last >= q.start else ({}, {}, [])
    if not q.narrowed_below_day:
        _meals(q, last, current, previous)
    return RawStats(current, previous, by_day, by_partner, by_category, outcomes)
