"""Signing in behind the throttle, and signing out for good."""

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from dropin.auth import throttle
from dropin.auth.throttle import Attempt, LoginLocked, LoginSlowed
from dropin.extensions import db
from dropin.models import User
from dropin.models.base import utcnow

__all__ = ["LoginLocked", "LoginRefused", "LoginSlowed", "admit", "authenticate", "end_sessions", "load_user"]

# Checked against when the account does not exist, so both paths cost one KDF run.
_DUMMY_HASH = "scrypt:32768:8:1$dummydummydummy$" + "0" * 128


class LoginRefused(Exception):
    """Wrong e-mail or password, or a disabled account."""


def admit(email: str, address: str, secret: str) -> Attempt:
    """Reserve a login attempt on `email` from the client at `address`, or raise LoginSlowed /
    LoginLocked. The caller commits before calling authenticate(): parallel requests see it."""
    attempt = throttle.attempt_for(email, address, secret)
    throttle.admit(attempt)
    return attempt


def authenticate(email: str, password: str, attempt: Attempt) -> User:
    """Return the user for these credentials, or raise LoginRefused (LoginLocked on the last try)."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    valid = user.check_password(password) if user else check_password_hash(_DUMMY_HASH, password)
    if not valid or user is None or not user.active:
        throttle.record_failure(attempt, user.id if user else None)
        raise LoginRefused()
    throttle.record_success(attempt)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """Sign the user out everywhere: every session cookie of theirs, copies included, stops working."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries a key that changes with the password and the session version."""
    ident, _, key = (user_id or "").partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_key != key:
        return None
    return user
