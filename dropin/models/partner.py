"""Partner organisations that need work done. Contact data is for staff eyes only: the staff
of the sites the partner belongs to (partner_sites) and admins."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from dropin.models.site import Site

# The sites that use a partner: their staff see and change it.
partner_sites = sa.Table(
    "partner_sites",
    db.metadata,
    sa.Column("partner_id", sa.ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("site_id", sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Partner(db.Model):
    __tablename__ = "partners"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120), unique=True)
    kind: so.Mapped[Optional[str]] = so.mapped_column(sa.String(80))
    contact_person: so.Mapped[Optional[str]] = so.mapped_column(sa.String(120))
    phone: so.Mapped[Optional[str]] = so.mapped_column(sa.String(40))
    email: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    notes: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    archived_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)

    sites: so.Mapped[list["Site"]] = so.relationship(secondary=partner_sites, order_by="Site.name")

    def __repr__(self) -> str:
        return f"<Partner {self.name}>"


class PartnerLinkRequest(db.Model):
    """A partner asked for its link again (/p/new-link). Only the partner is kept, never the address typed;
    staff of the partner's sites see it until someone makes the partner a new link."""

    __tablename__ = "partner_link_requests"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    partner_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("partners.id", ondelete="CASCADE"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    handled_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)

    partner: so.Mapped[Partner] = so.relationship()
