"""Staff, project workers and admins. Visitors never have accounts."""

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so
from werkzeug.security import check_password_hash, generate_password_hash

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from dropin.models.region import Region
    from dropin.models.site import Site


class Role(StrEnum):
    STAFF = "staff"  # plans and closes days at their own sites
    WORKER = "worker"  # a project worker: reads the anonymous statistics
    ADMIN = "admin"  # everything, everywhere


user_sites = sa.Table(
    "user_sites",
    db.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("site_id", sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)


class User(db.Model):
    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    role: so.Mapped[str] = so.mapped_column(sa.String(10))
    active: so.Mapped[bool] = so.mapped_column(sa.Boolean, default=True)
    # Bumped when an account is disabled: its old sessions stay dead after it is enabled again.
    session_version: so.Mapped[int] = so.mapped_column(sa.Integer, default=0, server_default="0")
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_login_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    # A project worker's region: their statistics cover its sites only. NULL: every region.
    region_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("regions.id", ondelete="SET NULL"))

    sites: so.Mapped[list["Site"]] = so.relationship(secondary=user_sites)
    region: so.Mapped[Optional["Region"]] = so.relationship()

    # Flask-Login's interface.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # Changes with the password and on disabling, so either signs out every other session.
        return f"{self.id}:{self.session_key}"

    @property
    def session_key(self) -> str:
        material = f"{self.password_hash}:{self.session_version or 0}"
        return hashlib.sha256(material.encode()).hexdigest()[:16]

    def can_plan(self, site) -> bool:
        """Staff plan and close days at their own sites; admins everywhere."""
        return self.role == Role.ADMIN or (self.role == Role.STAFF and site in self.sites)

    def set_password(self, password: str) -> None:
        # Werkzeug's default is scrypt, a memory-hard KDF.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
