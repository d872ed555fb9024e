"""Each site's data version: a counter bumped in the same transaction as any change to what the
site's board shows, so a cached board keyed by it is exactly as fresh as the database.

What the board shows is the site itself, its tasks, how many of their places are taken, the
day's record, the names of partners and whether the screen is one of its enrolled kiosks. ORM
changes to any of them are caught by a `before_flush` listener; the few bulk UPDATEs of claims
run under `lock_site`, which bumps the version as it takes the lock. One bump per site and
transaction is enough: readers see the new number together with the changes, at commit, and
never before.

A reader reads the version first and the data after it: a change committed in between then
lands under the old number, which no later reader asks for.
"""

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin import write_queue
from dropin.extensions import db
from dropin.models import Claim, DayRecord, Kiosk, Partner, Site, Task

# Sites already bumped in the session's current transaction.
_BUMPED = "dropin.bumped_sites"


def _bump(session: so.Session, site_ids: set[int]) -> None:
    done: set[int] = session.info.setdefault(_BUMPED, set())
    fresh = site_ids - done
    if not fresh:
        return
    write_queue.take_turn(session)
    sites = Site.__table__
    session.execute(sa.update(sites).where(sites.c.id.in_(sorted(fresh))).values(data_version=sites.c.data_version + 1))
    done |= fresh


def lock_site(site_id: int) -> None:
    """Take the site's write lock for the rest of the transaction and bump its data version.

    On PostgreSQL the UPDATE takes the site row's lock, on SQLite the database's write lock, so
    counts of places read after it cannot race another claim. Every change to places goes
    through here first; it is the one statement that both locks and marks the board stale.
    A site already bumped in this transaction is locked already: nothing more to do.
    """
    _bump(db.session(), {site_id})


def bump(*site_ids: int) -> None:
    """Mark what the sites' boards show as changed (a change the ORM does not see, e.g. a bulk UPDATE)."""
    _bump(db.session(), set(site_ids))


def current(site_id: int) -> int:
    """The site's data version as committed (or as this transaction changed it)."""
    return db.session.scalar(sa.select(Site.data_version).where(Site.id == site_id)) or 0


def _task_site(session: so.Session, task_id: int | None, task: Task | None) -> int | None:
    if task is not None:
        return task.site_id if task.site_id is not None else (task.site.id if task.site else None)
    if task_id is None:
        return None
    loaded = session.get(Task, task_id)
    return loaded.site_id if loaded else None


def _status_changed(claim: Claim) -> bool:
    # The board counts places; a claim's other columns (arrival, the first-time answer) it never shows.
    state = sa.inspect(claim)
    return any(state.attrs[key].history.has_changes() for key in ("status", "task_id", "over_capacity"))


def _partner_sites(session: so.Session, partner: Partner) -> set[int]:
    tasks = session.scalars(sa.select(Task.site_id).where(Task.partner_id == partner.id).distinct())
    return set(tasks) | {site.id for site in partner.sites}


def _changed_sites(session: so.Session) -> set[int]:
    sites: set[int | None] = set()
    changed = [obj for obj in session.dirty if session.is_modified(obj)]
    for obj in [*session.new, *changed, *session.deleted]:
        if isinstance(obj, Task):
            sites.add(_task_site(session, None, obj))
        elif isinstance(obj, Claim) and (obj not in session.dirty or _status_changed(obj)):
            sites.add(_task_site(session, obj.task_id, obj.task if obj.task_id is None else None))
        elif isinstance(obj, DayRecord | Kiosk):  # a kiosk enrolled or revoked: its board changes
            sites.add(obj.site_id)
        elif isinstance(obj, Site) and obj.id is not None and obj not in session.new:
            sites.add(obj.id)
        elif isinstance(obj, Partner) and obj.id is not None and obj not in session.new:
            sites |= _partner_sites(session, obj)
    sites.discard(None)
    return sites  # type: ignore[return-value]


@sa.event.listens_for(so.Session, "before_flush")
def _bump_changed_sites(session: so.Session, _context, _instances) -> None:
    sites = _changed_sites(session)
    if sites:
        _bump(session, sites)


@sa.event.listens_for(so.Session, "after_transaction_end")
def _forget_bumps(session: so.Session, transaction: so.SessionTransaction) -> None:
    # A rolled-back savepoint undid its bumps too: forget them all and bump again if needed.
    if transaction.parent is None or transaction.nested:
        session.info.pop(_BUMPED, None)
