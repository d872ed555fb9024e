"""Who changed what and when. Never holds visitors' data (claim codes and tokens stay out)."""

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_at", "at"), sa.Index("ix_audit_events_entity", "entity", "entity_id"))

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    user_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    user_email: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    site_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="SET NULL"), index=True)
    action: so.Mapped[str] = so.mapped_column(sa.String(60), index=True)
    entity: so.Mapped[str] = so.mapped_column(sa.String(40))
    entity_id: so.Mapped[Optional[int]] = so.mapped_column(sa.Integer)
    before: so.Mapped[Optional[dict[str, Any]]] = so.mapped_column(sa.JSON)
    after: so.Mapped[Optional[dict[str, Any]]] = so.mapped_column(sa.JSON)
