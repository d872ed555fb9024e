"""Writing the audit log: every staff and admin change, with before and after."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask_login import current_user

from dropin.extensions import db
from dropin.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def snapshot(obj, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of a model object, as JSON-safe values."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, on both sides."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    action: str,
    entity: str,
    entity_id: int | None = None,
    site_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Add an audit event for the signed-in user; the caller's transaction commits it."""
    user = current_user if current_user and current_user.is_authenticated else None
    event = AuditEvent(
        user_id=user.id if user else None,
        user_email=user.email if user else None,
        site_id=site_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=before,
        after=after,
    )
    db.session.add(event)
    return event


def update(obj, values: dict, fields: tuple[str, ...], action: str, entity: str, site_id: int | None) -> dict:
    """Set `values` on `obj`, flush, and audit the `fields` that changed. Returns what changed."""
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    db.session.flush()
    old, new = changed(before, snapshot(obj, fields))
    if new:
        record(action, entity, obj.id, site_id, before=old, after=new)
    return new
