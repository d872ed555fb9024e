"""Failed logins, counted in the database so the throttle holds across app processes."""

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from dropin.models.user import User


class LoginThrottle(db.Model):
    """Login attempts per account, per client or per (account, client) pair: keyed hashes, never
    an e-mail or an address."""

    __tablename__ = "login_throttles"

    key: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    failures: so.Mapped[int] = so.mapped_column(sa.Integer, default=0)
    first_failure_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    # A lock (pair, client) or the moment the next attempt may come (account).
    locked_until: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)


class LoginLockout(db.Model):
    """One client locked out of one account, for the admins' list: who and when, never from where."""

    __tablename__ = "login_lockouts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    locked_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    # Wrong passwords for the account, from every client, within the window when the lock came.
    attempts: so.Mapped[int] = so.mapped_column(sa.Integer)

    user: so.Mapped["User"] = so.relationship()
