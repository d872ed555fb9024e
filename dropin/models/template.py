"""A partner's recurring need, posted as a task on its weekdays."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow
from dropin.models.task_content import ENDS_AFTER_START, TaskContent

if TYPE_CHECKING:
    from dropin.models.partner import Partner
    from dropin.models.site import Site


class TaskTemplate(TaskContent, db.Model):
    __tablename__ = "task_templates"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint(ENDS_AFTER_START, name="ends_after_start"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    partner_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("partners.id"), index=True)
    # ISO weekdays as digits, Monday=1: "135" is Monday, Wednesday and Friday.
    weekdays: so.Mapped[str] = so.mapped_column(sa.String(7), default="")
    paused: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    site: so.Mapped["Site"] = so.relationship()
    partner: so.Mapped[Optional["Partner"]] = so.relationship()

    def runs_on(self, isoweekday: int) -> bool:
        return str(isoweekday) in self.weekdays
