"""Failed logins, counted in the database so the throttle holds across app processes."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow


class LoginThrottle(db.Model):
    """Failed logins per account or per client (a keyed hash, never the address itself)."""

    __tablename__ = "login_throttles"

    key: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    failures: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    first_failure_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    locked_until: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
