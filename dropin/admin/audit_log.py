"""Reading the audit log: filters, one query per page, and changes as key: before → after."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from dropin.extensions import db
from dropin.models import AuditEvent, Site, User

PAGE_SIZE = 50
# The dates the filters take: the log begins this century; a year 1 or 9999 cannot be turned into UTC.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def sane_day(day: date | None) -> bool:
    """Whether a filter's date is one the log can be searched by (or none was given)."""
    return day is None or FIRST_DAY <= day <= LAST_DAY


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    user_id: int | None = None
    site_id: int | None = None
    entity: str | None = None
    entity_id: int | None = None
    date_from: date | None = None  # local dates, in the app's zone
    date_to: date | None = None


@dataclass(frozen=True)
class Change:
    key: str
    before: Any
    after: Any
    has_before: bool
    has_after: bool


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    who: str | None
    site_name: str | None
    at: datetime  # in the site's zone, or the app's
    changes: list[Change]


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """Every key of either side, in the order they were written."""
    before, after = before or {}, after or {}
    keys = list(after) + [k for k in before if k not in after]
    return [Change(k, before.get(k), after.get(k), k in before, k in after) for k in keys]


def _local_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _conditions(f: AuditFilter, zone: ZoneInfo) -> list:
    conditions = []
    if f.action:
        conditions.append(AuditEvent.action == f.action)
    if f.user_id is not None:
        conditions.append(AuditEvent.user_id == f.user_id)
    if f.site_id is not None:
        conditions.append(AuditEvent.site_id == f.site_id)
    if f.entity:
        conditions.append(AuditEvent.entity == f.entity)
    if f.entity_id is not None:
        conditions.append(AuditEvent.entity_id == f.entity_id)
    if f.date_from:
        conditions.append(AuditEvent.at >= _local_start(f.date_from, zone))
    if f.date_to:
        conditions.append(AuditEvent.at < _local_start(f.date_to + timedelta(days=1), zone))
    return conditions


def audit_page(f: AuditFilter, page: int, zone_name: str) -> tuple[list[AuditRow], bool]:
    """One page of events, newest first, and whether an older page exists. One query, whatever the page."""
    zone = ZoneInfo(zone_name)
    query = (
        sa.select(AuditEvent, User.email, Site.name, Site.timezone)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .outerjoin(Site, Site.id == AuditEvent.site_id)
        .where(*_conditions(f, zone))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    rows = db.session.execute(query).all()
    page_rows = [
        AuditRow(
            event,
            event.user_email or email,
            site_name,
            event.at.astimezone(ZoneInfo(site_zone) if site_zone else zone),
            changes(event.before, event.after),
        )
        for event, email, site_name, site_zone in rows[:PAGE_SIZE]
    ]
    return page_rows, len(rows) > PAGE_SIZE


def filter_options() -> dict[str, list]:
    """What the filters offer: actions and entities seen in the log, users and sites."""
    return {
        "actions": list(db.session.scalars(sa.select(AuditEvent.action).distinct().order_by(AuditEvent.action))),
        "entities": list(db.session.scalars(sa.select(AuditEvent.entity).distinct().order_by(AuditEvent.entity))),
        "users": db.session.execute(sa.select(User.id, User.email).order_by(User.email)).all(),
        "sites": db.session.execute(sa.select(Site.id, Site.name).order_by(Site.name)).all(),
    }
