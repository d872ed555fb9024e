"""Anonymous feedback from the kiosk. Keeps only site, date, category, partner and the answers:
never the claim, its code, the time of day or anything else about the person."""

from datetime import date
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db

# One-tap answers, shown as pictograms: 3 = yes, 2 = somewhat, 1 = no. None = skipped.
ANSWERS = (3, 2, 1)
QUESTIONS = ("useful", "decide", "community")


class Feedback(db.Model):
    __tablename__ = "feedback"
    __table_args__ = (sa.Index("ix_feedback_site_date", "site_id", "date"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    date: so.Mapped[date] = so.mapped_column(sa.Date)
    category: so.Mapped[Optional[str]] = so.mapped_column(sa.String(30))
    partner_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("partners.id", ondelete="SET NULL"))
    useful: so.Mapped[Optional[int]] = so.mapped_column(sa.SmallInteger)
    decide: so.Mapped[Optional[int]] = so.mapped_column(sa.SmallInteger)
    community: so.Mapped[Optional[int]] = so.mapped_column(sa.SmallInteger)
