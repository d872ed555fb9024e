"""A rolled-up day loses its rollup in the same transaction as any change of its raw rows.

Two listeners on the app's sessions see every change made through SQLAlchemy:
- before_flush/after_flush: the objects added, changed or deleted (a claim, a task, a day record);
- do_orm_execute: INSERT, UPDATE and DELETE statements (end_claims, arrivals, seed-history).
Each change names the site-days it touches, before and after; those before the rollups' horizon
lose their rollup (rollups.drop_days) and the next read rolls them up again. Later days have no
rollup, so today's claims cost nothing here. A change that cannot be pinned to days (a bulk
UPDATE moving rows to other days, a site deleted) drops every rollup. Raw SQL text and other connections are not
seen: after such a change run `dropin rollup-stats --all`.
"""

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_sqlalchemy.session import Session

from dropin.models import Claim, DayRecord, Feedback, PartnerLink, Proposal, Site, Task
from dropin.stats import rollups

# The columns the statistics read, per table; the first ones place a row on a site's day.
READ_COLUMNS = {
    "tasks": ("site_id", "date", "partner_id", "category", "outcome_unit", "status", "capacity", "participants")
    + ("outcome_amount",),
    "claims": ("task_id", "status", "source", "first_time", "arrived_at"),
    "day_records": ("site_id", "date", "meals_participants", "meals_others"),
    "feedback": ("site_id", "date", "partner_id", "category", "useful", "decide", "community"),
    "proposals": ("link_id", "date", "category", "status"),
    "partner_links": ("partner_id", "site_id"),
}
PLACING = {
    "tasks": {"site_id", "date"},
    "claims": {"task_id"},
    "day_records": {"site_id", "date"},
    "feedback": {"site_id", "date"},
    "proposals": {"link_id", "date"},
    "partner_links": {"partner_id", "site_id"},
}
# Relationships whose change sets the columns above only when the flush runs.
RELATIONS = {"tasks": ("site", "partner"), "claims": ("task",), "proposals": ("link",)}
PENDING = "dropin.rollups.pending"
DROP_ALL = "dropin.rollups.drop_all"
TASK_MAPPER = sa.inspect(Task)

Span = tuple[int, date, date]
IN_BATCH = 10_000  # ids per IN (...) of one statement


def _values(obj, name: str) -> set:
    """An attribute's values before and after the flush."""
    history = sa.inspect(obj).attrs[name].history
    return {v for v in (*history.added, *history.unchanged, *history.deleted, getattr(obj, name)) if v is not None}


def _task_days(session: so.Session, task_ids: set[int]) -> set[tuple[int, date]]:
    found, unknown = set(), set()
    for task_id in task_ids:
        task = session.identity_map.get(TASK_MAPPER.identity_key_from_primary_key((task_id,)))
        if task is not None and "site_id" in task.__dict__ and "date" in task.__dict__:
            found.add((task.site_id, task.date))
        else:
            unknown.add(task_id)
    # In batches: PostgreSQL takes at most 65,535 parameters in a statement (seed-history's claims).
    unknown = sorted(unknown)
    for start in range(0, len(unknown), IN_BATCH):
        batch = unknown[start : start + IN_BATCH]
        found |= set(map(tuple, session.execute(sa.select(Task.site_id, Task.date).where(Task.id.in_(batch)))))
    return found


def _days_of(session: so.Session, obj) -> set[tuple[int, date]]:
    """The site-days an added, changed or deleted object is about, before and after."""
    if isinstance(obj, (Task, DayRecord, Feedback)):
        sites = _values(obj, "site_id")
        site = obj.__dict__.get("site") if isinstance(obj, Task) else None
        if site is not None:
            sites.add(site.id)
        return {(site_id, day) for site_id in sites for day in _values(obj, "date")}
    if isinstance(obj, Claim):
        days = {(obj.task.site_id, obj.task.date)} if "task" in obj.__dict__ and obj.task else set()
        return days | _task_days(session, _values(obj, "task_id"))
    if isinstance(obj, Proposal):
        links = {obj.link.id} if "link" in obj.__dict__ and obj.link else set()
        links |= _values(obj, "link_id")
        sites = set(session.scalars(sa.select(PartnerLink.site_id).where(PartnerLink.id.in_(links))))
        return {(site_id, day) for site_id in sites for day in _values(obj, "date")}
    if isinstance(obj, PartnerLink) and obj.id is not None:
        rows = session.execute(
            sa.select(Proposal.date).where(Proposal.link_id == obj.id).group_by(Proposal.date)
        ).scalars()
        return {(site_id, day) for day in rows for site_id in _values(obj, "site_id")}
    return set()


def _spans(days: set[tuple[int, date]]) -> list[Span]:
    until = rollups.horizon()
    # A site or task not flushed yet has no id: nothing of it is rolled up.
    return sorted((site_id, day, day) for site_id, day in days if site_id is not None and day < until)


def _figures_changed(obj) -> bool:
    """A changed object changes the figures when a column the statistics read changed."""
    table = getattr(obj, "__tablename__", None)
    names = (*READ_COLUMNS.get(table, ()), *RELATIONS.get(table, ()))
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _moved(obj, placing: set[str]) -> bool:
    attrs = sa.inspect(obj).attrs
    return sa.inspect(obj).identity is not None and any(attrs[name].history.has_changes() for name in placing)


def _before_flush(session: so.Session, _context, _instances) -> None:
    touched = set()
    with session.no_autoflush:
        for obj in (*session.new, *session.deleted, *(o for o in session.dirty if _figures_changed(o))):
            if getattr(obj, "__tablename__", None) in READ_COLUMNS:
                touched |= _days_of(session, obj)
    spans = _spans(touched)
    # A changed row's old day is not in its history when the old value was never loaded: ask the
    # database, which still holds the row as it was.
    for obj in session.dirty:
        table = getattr(obj, "__tablename__", None)
        if table in PLACING and _moved(obj, {*PLACING[table], *RELATIONS.get(table, ())}):
            key = sa.inspect(obj).identity
            spans += _spans_where(session, obj.__table__, obj.__table__.c.id == key[0])
    if any(isinstance(obj, Site) for obj in session.deleted):
        session.info[DROP_ALL] = True  # the sums of all sites hold its figures
    if spans:
        session.info.setdefault(PENDING, []).extend(spans)


def _after_flush(session: so.Session, _context) -> None:
    spans = session.info.pop(PENDING, None)
    if session.info.pop(DROP_ALL, None):
        rollups.drop_all()
    elif spans:
        rollups.drop_days(spans)


def _placed(table: str):
    """(site, date) columns and the joins that place a row of the table on a site's day."""
    if table == "claims":
        return Task.site_id, Task.date, [(Task, Task.id == Claim.task_id)]
    if table == "proposals":
        return PartnerLink.site_id, Proposal.date, [(PartnerLink, PartnerLink.id == Proposal.link_id)]
    if table == "partner_links":
        return PartnerLink.site_id, Proposal.date, [(Proposal, Proposal.link_id == PartnerLink.id)]
    model = {"tasks": Task, "day_records": DayRecord, "feedback": Feedback}[table]
    return model.site_id, model.date, []


def _spans_where(session: so.Session, table, whereclause) -> list[Span]:
    """The site-days of the rows a bulk UPDATE or DELETE is about to change, per site."""
    site, day, joins = _placed(table.name)
    query = sa.select(site, sa.func.min(day), sa.func.max(day)).select_from(table)
    for target, on in joins:
        query = query.join(target, on)
    if whereclause is not None:
        query = query.where(whereclause)
    query = query.where(day < rollups.horizon()).group_by(site)
    return [tuple(row) for row in session.execute(query)]


def _spans_of_claims(session: so.Session, rows: list[dict], until: date) -> list[Span] | None:
    ids = {row.get("task_id") for row in rows}
    if None in ids:
        return None
    # A claim's task is in the session already (it was locked and re-read): no query for it.
    by_site = defaultdict(list)
    for site_id, day in _task_days(session, ids):
        if day < until:
            by_site[site_id].append(day)
    return [(site_id, min(dates), max(dates)) for site_id, dates in by_site.items()]


def _spans_inserted(session: so.Session, table: str, rows: list[dict]) -> list[Span] | None:
    """The site-days of bulk-inserted rows, per site (None when the rows do not say)."""
    until = rollups.horizon()
    if not rows:
        return None
    if table == "partner_links":
        return []  # a new link has no proposals yet
    if table == "claims":
        return _spans_of_claims(session, rows, until)
    place = "link_id" if table == "proposals" else "site_id"
    days = defaultdict(list)
    for row in rows:
        if row.get(place) is None or row.get("date") is None:
            return None
        if row["date"] < until:
            days[row[place]].append(row["date"])
    if table == "proposals":
        links = dict(
            session.execute(sa.select(PartnerLink.id, PartnerLink.site_id).where(PartnerLink.id.in_(days))).all()
        )
        by_site = defaultdict(list)
        for link_id, dates in days.items():
            by_site[links.get(link_id)].extend(dates)
        days = {site_id: dates for site_id, dates in by_site.items() if site_id is not None}
    return [(site_id, min(dates), max(dates)) for site_id, dates in days.items()]


def _column_name(key) -> str:
    return getattr(key, "key", None) or getattr(key, "name", None) or str(key)


def _on_execute(state: so.ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name not in READ_COLUMNS:
        return
    session = state.session
    statement, parameters = state.statement, state.parameters
    rows = parameters if isinstance(parameters, list) else ([parameters] if parameters else [])
    with session.no_autoflush:
        if state.is_insert:
            if statement._values:  # insert(...).values(...)
                rows = [{_column_name(k): getattr(v, "value", v) for k, v in statement._values.items()}]
            spans = _spans_inserted(session, name, rows)
        else:
            changed = set(READ_COLUMNS[name])
            if state.is_update and (statement._values or rows):
                changed = {_column_name(k) for k in statement._values or rows[0]}
            if not changed & set(READ_COLUMNS[name]):
                return  # a task's lock or revision, a claim's end time: no figure changes
            moved = state.is_update and changed & PLACING[name]
            by_key = statement.whereclause is None and rows  # ORM bulk UPDATE by primary key
            spans = None if moved or by_key else _spans_where(session, table, statement.whereclause)
        if spans is None:
            rollups.drop_all()
        elif spans:
            rollups.drop_days(spans)


def listen() -> None:
    """Watch the app's sessions (Flask-SQLAlchemy's Session class); once per process."""
    if not sa.event.contains(Session, "before_flush", _before_flush):
        sa.event.listen(Session, "before_flush", _before_flush)
        sa.event.listen(Session, "after_flush", _after_flush)
        sa.event.listen(Session, "do_orm_execute", _on_execute)
