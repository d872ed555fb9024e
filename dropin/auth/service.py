"""Signing in: password check behind the throttle."""

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from dropin.auth import throttle
from dropin.extensions import db
from dropin.models import User
from dropin.models.base import utcnow

# Checked against when the account does not exist, so both paths cost one KDF run.
_DUMMY_HASH = "scrypt:32768:8:1$dummydummydummy$" + "0" * 128


class LoginRefused(Exception):
    """Wrong e-mail or password, or a disabled account."""


class LoginLocked(Exception):
    """Too many failures: wait for the lockout to pass."""


def authenticate(email: str, password: str, client: str) -> User:
    """Return the user for these credentials, or raise LoginRefused / LoginLocked."""
    keys = (throttle.account_key(email), client)
    if throttle.locked(*keys):
        raise LoginLocked()
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    valid = user.check_password(password) if user else check_password_hash(_DUMMY_HASH, password)
    if not valid or user is None or not user.active:
        throttle.record_failure(*keys)
        if throttle.locked(*keys):
            raise LoginLocked()
        raise LoginRefused()
    throttle.clear(keys[0])
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the id carries a key that changes with the password."""
    ident, _, key = (user_id or "").partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or user.session_key != key:
        return None
    return user
