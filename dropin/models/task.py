"""A task offered for one day at a site."""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models import task_content
from dropin.models.base import UTCDateTime, utcnow
from dropin.models.task_content import ENDS_AFTER_START, TaskContent

if TYPE_CHECKING:
    from dropin.models.partner import Partner
    from dropin.models.site import Site


class TaskStatus(StrEnum):
    OPEN = "open"
    CANCELLED = "cancelled"
    CLOSED = "closed"  # its day was closed and its figures recorded


class Task(TaskContent, db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint(ENDS_AFTER_START, name="ends_after_start"),
        sa.Index("ix_tasks_site_date", "site_id", "date"),
        sa.Index("ix_tasks_date", "date"),  # region-wide statistics filter by date alone
        sa.UniqueConstraint("template_id", "date", name="uq_tasks_template_date"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    partner_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("partners.id"), index=True)
    date: so.Mapped[date] = so.mapped_column(sa.Date)
    template_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("task_templates.id", ondelete="SET NULL"))
    # Filled when the day is closed: who took part (walk-ins and early leavers included) and what got done.
    participants: so.Mapped[Optional[int]] = so.mapped_column(sa.Integer)
    outcome_amount: so.Mapped[Optional[float]] = so.mapped_column(sa.Numeric(10, 1, asdecimal=False))
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default=TaskStatus.OPEN)
    cancel_reason: so.Mapped[Optional[str]] = so.mapped_column(sa.String(300))
    # Bumped by every staff edit: a form carries it, so saving over a newer change is caught.
    revision: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    site: so.Mapped["Site"] = so.relationship()
    partner: so.Mapped[Optional["Partner"]] = so.relationship()

    @property
    def ends_at(self) -> datetime:
        """When the task is over, in its site's zone (an end at 00:00 is the midnight after its day)."""
        return task_content.ends_at(self.date, self.end_time, self.site.zone)

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.date} {self.title!r}>"
