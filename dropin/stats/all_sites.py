"""All sites' rollups of a date added up: what the statistics of all sites read (AllSitesRollup,
RolledUpDate), a twentieth of the rows with twenty sites.

A date is added up only once every site's day of it is rolled up (rollups.ensure), under every
site's lock (PostgreSQL) or after the first write (SQLite), and rollups.drop_days drops a date's
sums with any of its site-days. So the sums always equal those of the sites' rollups.
"""

from datetime import date

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AllSitesRollup, DailyRollup, RolledUpDate, RolledUpDay
from dropin.models.rollup import ROLLUP_COUNTS
from dropin.stats import rollups

KEY = ("date", "partner_id", "category", "outcome_unit")
SUMMED = (*ROLLUP_COUNTS, "outcome_amount")


def _count(model, first: date, last: date) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(model.date.between(first, last)))


def _sites_with(condition):
    return (
        sa.select(sa.func.count(sa.distinct(DailyRollup.site_id)))
        .where(DailyRollup.date == RolledUpDay.date, condition)
        .scalar_subquery()
    )


def ensure(first: date, last: date) -> int | None:
    """Add up the dates from `first` to `last` when any is not added up yet; returns how many dates
    were added up now. Call after rollups.ensure_span for all sites. None when a change came in
    between: then read the sites' rollups."""
    days = (last - first).days + 1
    if _count(RolledUpDate, first, last) == days:
        return 0
    rollups.lock_all_sites()
    for model in (AllSitesRollup, RolledUpDate):  # writes first: see rollups.py
        db.session.execute(sa.delete(model).where(model.date.between(first, last)))
    sites, rolled = rollups.counts(first, last)
    if rolled != sites * days:
        return None
    in_range = DailyRollup.date.between(first, last)
    db.session.execute(
        sa.insert(AllSitesRollup).from_select(
            [*KEY, *SUMMED],
            sa.select(
                *(getattr(DailyRollup, name) for name in KEY),
                *(sa.func.sum(getattr(DailyRollup, name)) for name in SUMMED),
            )
            .where(in_range)
            .group_by(*(getattr(DailyRollup, name) for name in KEY)),
        )
    )
    db.session.execute(
        sa.insert(RolledUpDate).from_select(
            ["date", "days", "closed_days", "meals_participants", "meals_others"],
            sa.select(
                RolledUpDay.date,
                _sites_with(DailyRollup.tasks > 0),
                _sites_with(DailyRollup.closed_tasks > 0),
                sa.func.sum(RolledUpDay.meals_participants),
                sa.func.sum(RolledUpDay.meals_others),
            )
            .where(RolledUpDay.date.between(first, last))
            .group_by(RolledUpDay.date),
        )
    )
    return days
