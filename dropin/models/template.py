"""A partner's recurring need, posted as a task on its weekdays."""
from datetime import datetime, time
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from dropin.models.partner import Partner
    from dropin.models.site import Site


class TaskTemplate(db.Model):
    __tablename__ = "task_templates"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("end_time > start_time", name="ends_after_start"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    partner_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("partners.id"), index=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(120))
    title_sv: so.Mapped[Optional[str]] = so.mapped_column(sa.String(120))
    title_en: so.Mapped[Optional[str]] = so.mapped_column(sa.String(120))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description_sv: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    description_en: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    category: so.Mapped[str] = so.mapped_column(sa.String(30))
    place: so.Mapped[str] = so.mapped_column(sa.String(200))
    # ISO weekdays as digits, Monday=1: "135" is Monday, Wednesday and Friday.
    weekdays: so.Mapped[str] = so.mapped_column(sa.String(7), default="")
    start_time: so.Mapped[time] = so.mapped_column(sa.Time)
    end_time: so.Mapped[time] = so.mapped_column(sa.Time)
    capacity: so.Mapped[int] = so.mapped_column(sa.Integer)
    bring: so.Mapped[Optional[str]] = so.mapped_column(sa.String(300))
    provided: so.Mapped[Optional[str]] = so.mapped_column(sa.String(300))
    physical_demand: so.Mapped[str] = so.mapped_column(sa.String(10), default="light")
    setting: so.Mapped[str] = so.mapped_column(sa.String(10), default="indoor")
    meal_included: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True)
    outcome_unit: so.Mapped[Optional[str]] = so.mapped_column(sa.String(60))
    paused: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    site: so.Mapped["Site"] = so.relationship()
    partner: so.Mapped[Optional["Partner"]] = so.relationship()

    def runs_on(self, isoweekday: int) -> bool:
        return str(isoweekday) in self.weekdays
