"""Daily rollups of the statistics: sums of the raw rows per site and day, rebuilt from them.

The raw rows (tasks, claims, day records, feedback, proposals) stay the truth. A RolledUpDay marks
a site's day as summed up and holds its day-level figures (meals); the day's DailyRollup rows hold
the task, claim, feedback and proposal figures per partner, category and outcome unit.
dropin/stats/rollups.py builds them and dropin/stats/staleness.py drops a day's rollup whenever
its raw rows change.
"""

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow


class RolledUpDay(db.Model):
    __tablename__ = "rolled_up_days"
    __table_args__ = (sa.Index("ix_rolled_up_days_date", "date"),)

    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    date: so.Mapped[date] = so.mapped_column(sa.Date, primary_key=True)
    meals_participants: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    meals_others: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    built_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


# The summed figures of a DailyRollup row, each a count unless its comment says otherwise.
ROLLUP_COUNTS = (
    "all_tasks",  # tasks of any status: the row belongs to the breakdowns
    "tasks",  # offered: not cancelled
    "closed_tasks",
    "places",  # capacity of the offered tasks
    "participations",  # participants recorded on closed tasks
    "claims",
    "kept",
    "released",
    "cancelled",
    "walk_ins",
    "first_time",
    "returners",  # "returning" is an SQL keyword
    "arrived",
    "checked_claims",
    "outcome_tasks",  # closed tasks with an outcome amount and unit
    "useful_3",
    "useful_2",
    "useful_1",
    "decide_3",
    "decide_2",
    "decide_1",
    "community_3",
    "community_2",
    "community_1",
    "proposals",
    "proposals_approved",
)


class RollupCounts:
    """The summed figures (ROLLUP_COUNTS) and outcome amount of a rollup row."""

    outcome_amount: so.Mapped[float] = so.mapped_column(sa.Numeric(14, 1, asdecimal=False), default=0)
    all_tasks: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    tasks: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    closed_tasks: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    places: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    participations: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    claims: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    kept: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    released: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    cancelled: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    walk_ins: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    first_time: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    returners: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    arrived: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    checked_claims: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    outcome_tasks: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    useful_3: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    useful_2: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    useful_1: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    decide_3: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    decide_2: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    decide_1: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    community_3: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    community_2: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    community_1: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    proposals: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    proposals_approved: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)


class DailyRollup(RollupCounts, db.Model):
    """One site's day, per partner, category and outcome unit."""

    __tablename__ = "daily_rollups"
    __table_args__ = (
        sa.Index("ix_daily_rollups_date_site", "date", "site_id"),
        sa.Index("ix_daily_rollups_site_date", "site_id", "date"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    date: so.Mapped[date] = so.mapped_column(sa.Date)
    partner_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("partners.id", ondelete="SET NULL"))
    category: so.Mapped[Optional[str]] = so.mapped_column(sa.String(30))
    outcome_unit: so.Mapped[Optional[str]] = so.mapped_column(sa.String(60))


class RolledUpDate(db.Model):
    """A date rolled up for all sites together (every site's day is rolled up), with the figures that
    do not add up over sites: how many sites had tasks, and closed the day; and the meals."""

    __tablename__ = "rolled_up_dates"

    date: so.Mapped[date] = so.mapped_column(sa.Date, primary_key=True)
    days: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    closed_days: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    meals_participants: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    meals_others: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)


class AllSitesRollup(RollupCounts, db.Model):
    """A date's DailyRollup rows of all sites added up, per partner, category and outcome unit: what
    the statistics of all sites read, a twentieth of the rows with twenty sites."""

    __tablename__ = "all_sites_rollups"
    __table_args__ = (sa.Index("ix_all_sites_rollups_date", "date"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    date: so.Mapped[date] = so.mapped_column(sa.Date)
    partner_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("partners.id", ondelete="SET NULL"))
    category: so.Mapped[Optional[str]] = so.mapped_column(sa.String(30))
    outcome_unit: so.Mapped[Optional[str]] = so.mapped_column(sa.String(60))


def column_of(figure: str) -> str:
    """The DailyRollup column that sums a raw figure of the same name (totals.PeriodFigures)."""
    return "returners" if figure == "returning" else figure
