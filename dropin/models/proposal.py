"""Partners' secret proposal links and the tasks they propose."""

from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow
from dropin.models.task_content import ENDS_AFTER_START

if TYPE_CHECKING:
    from dropin.models.partner import Partner
    from dropin.models.site import Site


class ProposalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class PartnerLink(db.Model):
    """A secret link a partner uses to propose tasks to one site; only its hash is stored."""

    __tablename__ = "partner_links"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    partner_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"))
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    revoked_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)

    partner: so.Mapped["Partner"] = so.relationship()
    site: so.Mapped["Site"] = so.relationship()


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (sa.CheckConstraint(ENDS_AFTER_START, name="ends_after_start"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    link_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("partner_links.id", ondelete="CASCADE"), index=True)
    date: so.Mapped[date] = so.mapped_column(sa.Date)
    start_time: so.Mapped[time] = so.mapped_column(sa.Time)
    end_time: so.Mapped[time] = so.mapped_column(sa.Time)
    title: so.Mapped[str] = so.mapped_column(sa.String(120))
    title_sv: so.Mapped[Optional[str]] = so.mapped_column(sa.String(120))
    title_en: so.Mapped[Optional[str]] = so.mapped_column(sa.String(120))
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description_sv: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    description_en: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    category: so.Mapped[str] = so.mapped_column(sa.String(30))
    place: so.Mapped[str] = so.mapped_column(sa.String(200))
    capacity: so.Mapped[int] = so.mapped_column(sa.Integer)
    bring: so.Mapped[Optional[str]] = so.mapped_column(sa.String(300))
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default=ProposalStatus.PENDING)
    task_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("tasks.id", ondelete="SET NULL"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    decided_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    decided_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    link: so.Mapped[PartnerLink] = so.relationship()

    @property
    def site_id(self) -> int:
        """The site the proposal was sent to: its link's."""
        return self.link.site_id
