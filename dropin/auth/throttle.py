"""Login throttling in the database, so it holds across app processes.

After MAX_FAILURES failed logins within WINDOW, the account (and, separately, the client)
is refused for LOCKOUT. Clients are keyed by a keyed hash of their address, never the address.
"""

import hashlib
import hmac
from datetime import timedelta

from dropin.extensions import db
from dropin.models import LoginThrottle
from dropin.models.base import utcnow

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


def account_key(email: str) -> str:
    return "a:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:60]


def client_key(address: str, secret: str) -> str:
    return "c:" + hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()[:60]


def locked(*keys: str) -> bool:
    """True when any of the keys is locked out right now."""
    now = utcnow()
    for key in keys:
        row = db.session.get(LoginThrottle, key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            return True
    return False


def record_failure(*keys: str) -> None:
    now = utcnow()
    for key in keys:
        row = db.session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, first_failure_at=now)
            db.session.add(row)
        elif now - row.first_failure_at > WINDOW and (row.locked_until is None or row.locked_until <= now):
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= MAX_FAILURES:
            row.locked_until = now + LOCKOUT
    db.session.flush()


def clear(key: str) -> None:
    row = db.session.get(LoginThrottle, key)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
