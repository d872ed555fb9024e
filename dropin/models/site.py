"""Drop-in spaces and the kiosks enrolled at them."""

from datetime import date, datetime, time
from typing import Optional
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow
from dropin.models.region import FIRST_REGION_ID, Region


class Site(db.Model):
    __tablename__ = "sites"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(60), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    timezone: so.Mapped[str] = so.mapped_column(sa.String(60), default="Europe/Helsinki")
    meal_time: so.Mapped[Optional[time]] = so.mapped_column(sa.Time)
    address: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    # Bumped in the same transaction as any change to what the site's board shows (dropin.data_version).
    data_version: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    # "How to get there" on the region's listing: short free text, Finnish first (like task titles).
    opening_hours: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    opening_hours_sv: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    opening_hours_en: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    region_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("regions.id"), index=True, default=FIRST_REGION_ID.scalar_subquery()
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    kiosks: so.WriteOnlyMapped["Kiosk"] = so.relationship(back_populates="site")
    region: so.Mapped[Region] = so.relationship()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def now(self) -> datetime:
        return datetime.now(self.zone)

    def today(self) -> date:
        return self.now().date()

    def localized_opening_hours(self, locale: str) -> str | None:
        """The opening hours in `locale`, or in Finnish when none were written in it."""
        if locale in ("sv", "en"):
            return getattr(self, f"opening_hours_{locale}") or self.opening_hours
        return self.opening_hours

    def __repr__(self) -> str:
        return f"<Site {self.slug}>"


class Kiosk(db.Model):
    """An enrolled touchscreen. Only secrets' hashes are stored."""

    __tablename__ = "kiosks"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    site_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    api_token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    enroll_token_hash: so.Mapped[Optional[str]] = so.mapped_column(sa.String(64), unique=True)
    # When the pending enrollment link was made: it works for DROPIN_ENROLLMENT_HOURS from then.
    enroll_issued_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    # Changing the cookie secret signs every browser of this kiosk out.
    cookie_secret: so.Mapped[str] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    enrolled_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    revoked_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)

    site: so.Mapped[Site] = so.relationship(back_populates="kiosks")

    @property
    def active(self) -> bool:
        return self.revoked_at is None
