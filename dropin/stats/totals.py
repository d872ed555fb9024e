"""The raw figures of a query, before suppression (see tables.py): rolled-up days from the daily
rollups, later days (yesterday and today, which are still changing) straight from the raw rows.

Both parts give the same RawStats, added up here; each site-day is in exactly one of them.
"""

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import Partner, Site, Task
from dropin.stats import all_sites, rollups
from dropin.stats.figures import Measures, Outcome, PeriodFigures, RawStats, add_figures
from dropin.stats.query import StatsQuery
from dropin.stats.raw import collect_raw
from dropin.stats.rolled import collect_rolled

__all__ = ["Measures", "Outcome", "PeriodFigures", "RawStats", "choices", "collect"]


def _add_measures(into: dict, other: dict) -> None:
    for key, measures in other.items():
        into.setdefault(key, Measures()).add(measures)


def _merged(first: RawStats, second: RawStats) -> RawStats:
    add_figures(first.current, second.current)
    add_figures(first.previous, second.previous)
    for into, other in (
        (first.by_day, second.by_day),
        (first.by_partner, second.by_partner),
        (first.by_category, second.by_category),
        (first.by_site, second.by_site),
    ):
        _add_measures(into, other)
    outcomes = {(o.partner_id, o.category, o.unit): o for o in first.outcomes}
    for o in second.outcomes:
        key = (o.partner_id, o.category, o.unit)
        if key in outcomes:
            o = Outcome(*key, outcomes[key].amount + o.amount, outcomes[key].tasks + o.tasks)
        outcomes[key] = o
    first.outcomes = list(outcomes.values())
    return first


def collect(q: StatsQuery) -> RawStats:
    """Every raw figure of the query: rolled-up days (rolled up now when they are not yet, which
    flushes: the view commits) and the days since the rollups' horizon from the raw rows."""
    until = rollups.horizon()
    parts, rolled_up_now = [], 0
    if q.previous_start < until:
        span = rollups.rolled_span(q.previous_start, q.end)
        summed = q.site_ids is None and not q.narrowed_below_day
        if span:
            rolled_up_now = rollups.ensure_span(q.site, *span)
            if summed:
                added = all_sites.ensure(*span)
                summed, rolled_up_now = added is not None, rolled_up_now + (added or 0)
        parts.append(collect_rolled(q, until, summed))
    if q.end >= until:
        parts.append(collect_raw(q, since=until))
    stats = parts[0]
    for part in parts[1:]:
        stats = _merged(stats, part)
    stats.rolled_up_now = rolled_up_now
    return stats


def choices(scope: tuple[int, ...] | None = None) -> tuple[dict[str, Site], dict[int, Partner]]:
    """Sites by slug and partners by id, for the filter form and for reading the query: within
    `scope` (site ids), the partners linked to its sites or with tasks at them."""
    site_query, partner_query = sa.select(Site).order_by(Site.name), sa.select(Partner).order_by(Partner.name)
    if scope is not None:
        site_query = site_query.where(Site.id.in_(scope))
        linked = Partner.sites.any(Site.id.in_(scope))
        worked = sa.exists().where(Task.partner_id == Partner.id, Task.site_id.in_(scope))
        partner_query = partner_query.where(sa.or_(linked, worked))
    sites = {s.slug: s for s in db.session.scalars(site_query)}
    partners = {p.id: p for p in db.session.scalars(partner_query)}
    return sites, partners
