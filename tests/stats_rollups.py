"""Helpers of the rollup tests: the figures of a query in a form two readings can be compared in."""

import dataclasses
from datetime import date

from dropin.extensions import db
from dropin.models import Claim
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.stats import raw, totals
from dropin.stats.figures import RawStats
from dropin.stats.query import StatsQuery
from tests.stats_data import make_task_on

_claims_made = [0]


def comparable(stats: RawStats) -> dict:
    """Everything the statistics publish from, outcomes in a fixed order and to the decimal shown."""
    return {
        "current": dataclasses.asdict(stats.current),
        "previous": dataclasses.asdict(stats.previous),
        "by_day": {k: dataclasses.asdict(v) for k, v in stats.by_day.items()},
        "by_partner": {k: dataclasses.asdict(v) for k, v in stats.by_partner.items()},
        "by_category": {k: dataclasses.asdict(v) for k, v in stats.by_category.items()},
        "outcomes": sorted(
            (o.partner_id or 0, o.category, o.unit, round(o.amount, 1), o.tasks) for o in stats.outcomes
        ),
    }


def from_rollups(q: StatsQuery) -> dict:
    """What the pages read: rollups for past days (built now when missing), raw rows for later ones."""
    return comparable(totals.collect(q))


def from_raw_rows(q: StatsQuery) -> dict:
    """The reference: every day straight from the raw rows."""
    return comparable(raw.collect_raw(q))


def task_on(site, day: date, partner=None, category="cleanup", capacity=4, status="open", **kw):
    return make_task_on(site, day, partner, category, capacity, status, **kw)


def claim(task, status=ClaimStatus.ACTIVE, source=ClaimSource.KIOSK, first_time=None, arrived_at=None) -> Claim:
    _claims_made[0] += 1
    n = _claims_made[0]
    made = Claim(
        task=task,
        code=f"R{n:05d}"[-8:],
        token_hash=f"r{n:063x}",
        status=status,
        source=source,
        first_time=first_time,
        arrived_at=arrived_at,
    )
    db.session.add(made)
    db.session.flush()
    return made
