"""A closed day: meals served and the note, per site and date. Per-task figures live on the task."""

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow


class DayRecord(db.Model):
    __tablename__ = "day_records"
    __table_args__ = (sa.UniqueConstraint("site_id", "date", name="uq_day_records_site_date"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    date: so.Mapped[date] = so.mapped_column(sa.Date)
    meals_participants: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    meals_others: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    note: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    closed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    closed_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
