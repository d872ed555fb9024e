"""A visitor's place in a task. Nothing here identifies a person."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from dropin.models.task import Task


class ClaimStatus(StrEnum):
    ACTIVE = "active"
    RELEASED = "released"  # given back by the visitor
    CANCELLED = "cancelled"  # by staff: the task was cancelled or its capacity cut


class ClaimSource(StrEnum):
    KIOSK = "kiosk"
    STAFF = "staff"  # a walk-in, taken at the desk


class Claim(db.Model):
    __tablename__ = "claims"
    __table_args__ = (
        sa.UniqueConstraint("task_id", "code", name="uq_claims_task_code"),
        sa.Index("ix_claims_task_status", "task_id", "status"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    task_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("tasks.id", ondelete="CASCADE"))
    code: so.Mapped[str] = so.mapped_column(sa.String(8))
    # SHA-256 of the phone token: a copy of the database does not open anyone's phone page.
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    source: so.Mapped[str] = so.mapped_column(sa.String(10), default=ClaimSource.KIOSK)
    first_time: so.Mapped[Optional[bool]] = so.mapped_column(sa.Boolean)
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default=ClaimStatus.ACTIVE)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    ended_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    # Marked by staff when the visitor showed up (optional): the day's close prefills participants from it.
    arrived_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    # A walk-in staff added to a full task after confirming it: the place beyond capacity.
    over_capacity: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False, server_default=sa.false())

    task: so.Mapped["Task"] = so.relationship()

    @property
    def active(self) -> bool:
        return self.status == ClaimStatus.ACTIVE
