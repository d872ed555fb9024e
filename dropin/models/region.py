"""Regions: the drop-in spaces one public listing shows together (a welfare region, a town)."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow

# The region the migration puts every existing site in, and new sites join while it is the only one.
DEFAULT_REGION_SLUG = "alue"


class Region(db.Model):
    __tablename__ = "regions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(60), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    # Origins (https://host[:port]) allowed to frame the embeddable listing, one per line; empty: none.
    embed_origins: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def origins(self) -> list[str]:
        """The embed origins as a list, in the order the admin gave them."""
        return (self.embed_origins or "").split()

    def __repr__(self) -> str:
        return f"<Region {self.slug}>"


# A new site's region unless one is chosen: the first region (the only one in a single-site set-up).
FIRST_REGION_ID = sa.select(Region.id).order_by(Region.id).limit(1)
