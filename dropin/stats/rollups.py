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
- For all sites together, all_sites.py adds each date's rollups of every site up (AllSitesRollup,
  RolledUpDate); dropping a day drops its date's sums too.
- Rebuilding writes first and reads after: on SQLite the first write takes the database's write
  lock, on PostgreSQL a per-site advisory lock that dropping also takes, so a change committed
  meanwhile is never summed up from an older snapshot.
These functions flush, never commit.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import (
    AllSitesRollup,
    DailyRollup,
    DayRecord,
    Feedback,
    Proposal,
    RolledUpDate,
    RolledUpDay,
    Site,
    Task,
)
from dropin.models.base import utcnow
from dropin.models.rollup import ROLLUP_COUNTS
from dropin.stats.rollup_rows import ONE_DAY, Span, feedback_rows, in_spans, marker_rows, proposal_rows, task_rows

LOCK_KEY = 0x524F4C4C  # "ROLL": the first key of the per-site advisory locks
LOCKED = "dropin.rollups.locked"  # session.info: (transaction, the sites it locked)
ALL = "all"  # in LOCKED: every site
SPANS_PER_QUERY = 200


def horizon() -> date:
    """Days before this one may be rolled up: UTC's yesterday is today or later in every zone."""
    return utcnow().date() - ONE_DAY


def lock_sites(site_ids: Iterable[int]) -> None:
    """Serialise rebuilding and dropping a site's rollups (PostgreSQL; SQLite has one writer).
    One statement takes the sites' locks in order, so two callers never wait on each other; a site
    already locked in this transaction is not asked again."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    transaction = db.session().get_transaction()
    held = db.session.info.get(LOCKED)
    locked = held[1] if held and held[0] is transaction else set()
    if ALL in locked:
        return
    ids = sorted(set(site_ids) - locked)
    if ids:
        db.session.execute(
            sa.text("SELECT pg_advisory_xact_lock(:key, site_id) FROM unnest(CAST(:ids AS integer[])) AS site_id"),
            {"key": LOCK_KEY, "ids": ids},
        )
        db.session.info[LOCKED] = (transaction, locked | set(ids))


def lock_all_sites() -> None:
    """lock_sites for every site, in one statement whatever their number."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    transaction = db.session().get_transaction()
    held = db.session.info.get(LOCKED)
    if held and held[0] is transaction and ALL in held[1]:
        return
    db.session.execute(
        sa.text("SELECT pg_advisory_xact_lock(:key, id) FROM (SELECT id FROM sites ORDER BY id) AS ordered"),
        {"key": LOCK_KEY},
    ).all()
    db.session.info[LOCKED] = (transaction, {ALL})


def _drop_site_days(spans: list[Span]) -> None:
    lock_sites(site_id for site_id, _first, _last in spans)
    for chunk in _chunks(spans):
        for model in (DailyRollup, RolledUpDay):
            db.session.execute(sa.delete(model).where(in_spans(model.site_id, model.date, chunk)))


def drop_days(spans: Iterable[Span]) -> None:
    """Forget the rollups of each (site, first day, last day), and the sums of all sites of those
    dates (all_sites.py): they are rebuilt when next read."""
    spans = list(spans)
    _drop_site_days(spans)
    for chunk in _chunks(spans):
        for model in (AllSitesRollup, RolledUpDate):
            db.session.execute(
                sa.delete(model).where(sa.or_(*(model.date.between(first, last) for _s, first, last in chunk)))
            )


def drop_all() -> None:
    """Forget every rollup (a change whose days are not known)."""
    lock_all_sites()
    for model in (DailyRollup, RolledUpDay, AllSitesRollup, RolledUpDate):
        db.session.execute(sa.delete(model))


def _chunks(spans: list[Span]) -> list[list[Span]]:
    # A long OR nests deeper than SQLite's expression limit (1000).
    return [spans[n : n + SPANS_PER_QUERY] for n in range(0, len(spans), SPANS_PER_QUERY)]


def rebuild(spans: Iterable[Span]) -> None:
    """Roll each (site, first day, last day) up again from the raw rows, in a fixed number of
    statements per 200 spans. Days from the horizon on are left out: they are read raw."""
    until = horizon()
    spans = [(site_id, first, min(last, until - ONE_DAY)) for site_id, first, last in spans]
    spans = [span for span in spans if span[1] <= span[2]]
    # Writes first: see the module's docstring. The sums of all sites need no drop here: a date has
    # them only while every site's day of it is rolled up, and only drop_days takes a day away.
    _drop_site_days(spans)
    empty = dict.fromkeys(ROLLUP_COUNTS, 0)
    for chunk in _chunks(spans):
        merged: dict[tuple, dict] = defaultdict(dict, task_rows(chunk))
        # Feedback and proposals join a task row of their partner and category, whatever its unit:
        # fewer rows to read.
        task_row = {(s, d, p, c): (s, d, p, c, u) for s, d, p, c, u in reversed(list(merged))}
        for part in (feedback_rows, proposal_rows):
            for (s, d, p, c, u), figures in part(chunk).items():
                merged[task_row.get((s, d, p, c), (s, d, p, c, u))].update(figures)
        rows = [
            {"site_id": s, "date": d, "partner_id": p, "category": c, "outcome_unit": u, "outcome_amount": 0.0}
            | empty
            | figures
            for (s, d, p, c, u), figures in merged.items()
        ]
        if rows:
            # render_nulls: one batch of rows, not one per pattern of empty partner, category and unit
            db.session.execute(sa.insert(DailyRollup).execution_options(render_nulls=True), rows)
        db.session.execute(sa.insert(RolledUpDay), marker_rows(chunk))


def rebuild_day(site_id: int, day: date) -> None:
    """Roll one site's day up again from its raw rows (a day from the horizon on is left out)."""
    rebuild([(site_id, day, day)])


def history_start() -> date | None:
    """The first day any raw row is about: nothing before it needs rolling up."""
    firsts = [
        sa.select(sa.func.min(column)).scalar_subquery()
        for column in (Task.date, DayRecord.date, Feedback.date, Proposal.date)
    ]
    return min((d for d in db.session.execute(sa.select(*firsts)).one() if d is not None), default=None)


def _missing_spans(first: date, last: date, site: Site | None) -> list[Span]:
    """Each site's runs of days from `first` to `last` that have no marker."""
    have = defaultdict(set)
    markers = sa.and_(RolledUpDay.site_id == Site.id, RolledUpDay.date >= first, RolledUpDay.date <= last)
    query = sa.select(Site.id, RolledUpDay.date).outerjoin(RolledUpDay, markers)
    for site_id, day in db.session.execute(query.where(Site.id == site.id) if site else query):
        have[site_id].add(day)
    site_ids = sorted(have)
    spans = []
    for site_id in site_ids:
        start, day = None, first
        while day <= last + ONE_DAY:
            missing = day <= last and day not in have[site_id]
            if missing and start is None:
                start = day
            elif not missing and start is not None:
                spans.append((site_id, start, day - ONE_DAY))
                start = None
            day += ONE_DAY
    return spans


def rolled_span(first: date, last: date) -> tuple[date, date] | None:
    """The days from `first` to `last` that are rolled up: before the horizon, from the first day
    with data on. None when there are none."""
    last = min(last, horizon() - ONE_DAY)
    start = history_start()
    if start is None or max(first, start) > last:
        return None
    return max(first, start), last


def counts(first: date, last: date, site: Site | None = None) -> tuple[int, int]:
    """How many sites (1 with `site`) and how many of their days from `first` to `last` are rolled up."""
    rolled = sa.select(sa.func.count()).select_from(RolledUpDay).where(RolledUpDay.date.between(first, last))
    if site:
        rolled = rolled.where(RolledUpDay.site_id == site.id)
    sites = sa.select(sa.func.count()).select_from(Site)
    found = db.session.execute(sa.select(sites.scalar_subquery(), rolled.scalar_subquery())).one()
    return (1 if site else found[0]), found[1]


def ensure_span(site: Site | None, first: date, last: date) -> int:
    """Roll up the days from `first` to `last` (of one site, or of all) that are not yet: one count
    of markers when all are. Returns how many site-days were rolled up now."""
    sites, have = counts(first, last, site)
    if have == sites * ((last - first).days + 1):
        return 0
    if site:
        lock_sites([site.id])
    else:
        lock_all_sites()
    spans = _missing_spans(first, last, site)
    rebuild(spans)
    db.session.flush()
    return sum((span_last - span_first).days + 1 for _site, span_first, span_last in spans)


def ensure(site: Site | None, first: date, last: date) -> int:
    """ensure_span over the rolled-up days from `first` to `last`."""
    span = rolled_span(first, last)
    return ensure_span(site, *span) if span else 0
