"""Login throttling in the database, so it holds across app processes.

Three counters, each a row under a keyed hash (HMAC with the secret key): no e-mail address and
no client address is stored, and rows expire once their window has passed.

- The pair (account, client): after MAX_PAIR_ATTEMPTS wrong passwords that client is locked out
  of that account for LOCKOUT. Everyone else still logs in to it.
- The client: MAX_CLIENT_ATTEMPTS attempts on any accounts lock the client out (password spraying).
- The account: from SLOW_AFTER wrong passwords within WINDOW, from anyone, each further one makes
  the next attempt on the account wait 1, 2, 4 ... up to MAX_DELAY seconds. Guessing slows down,
  yet nobody can lock a colleague out for longer than that.

A client's attempt is reserved before its password is checked, in one statement per counter
(INSERT ... ON CONFLICT DO UPDATE ... WHERE not locked RETURNING), so parallel requests never
check more passwords than the limit allows. The right password gives the reservation back.
"""

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite

from dropin.extensions import db
from dropin.models.base import UTCDateTime, utcnow
from dropin.models.login_throttle import LoginLockout, LoginThrottle

MAX_PAIR_ATTEMPTS = 5
MAX_CLIENT_ATTEMPTS = 20
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
SLOW_AFTER = 10
MAX_DELAY = timedelta(seconds=60)
# How long the admins' list keeps a lockout.
LOCKOUT_HISTORY = timedelta(days=30)

_rows = LoginThrottle.__table__


class LoginLocked(Exception):
    """This client made too many attempts (on this account): wait for the lockout to pass."""


class LoginSlowed(Exception):
    """The account drew many wrong passwords: the next attempt may come after `seconds`."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


@dataclass
class Attempt:
    """One login attempt's counters: the keys, and how many attempts the pair has used."""

    account: str
    client: str
    pair: str
    pair_attempts: int = 0


def _keyed(secret: str, *parts: str) -> str:
    return hmac.new(secret.encode(), "\0".join(parts).encode(), hashlib.sha256).hexdigest()[:60]


def attempt_for(email: str, address: str, secret: str) -> Attempt:
    """The counters of a login to `email` from the client at `address` (used here only, never kept)."""
    email = email.strip().lower()
    return Attempt(
        account="a:" + _keyed(secret, "account", email),
        client="c:" + _keyed(secret, "client", address),
        pair="p:" + _keyed(secret, "pair", email, address),
    )


def _at(moment: datetime) -> sa.BindParameter:
    return sa.literal(moment, UTCDateTime())


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(_rows)


def _count(key: str, now: datetime, lapsed, lock_for, only_when_open: bool) -> int | None:
    """Add one to the key's counter in one statement (a fresh count once `lapsed`) and set
    `locked_until` to lock_for(new count). With `only_when_open`, a locked key is left as it is
    and None comes back. Returns the new count."""
    count = sa.case((lapsed, 1), else_=_rows.c.failures + 1)
    statement = (
        _insert()
        .values(key=key, failures=1, first_failure_at=now, locked_until=lock_for(sa.literal(1)))
        .on_conflict_do_update(
            index_elements=[_rows.c.key],
            set_={
                "failures": count,
                "first_failure_at": sa.case((lapsed, _at(now)), else_=_rows.c.first_failure_at),
                "locked_until": lock_for(count),
            },
            where=_open(now) if only_when_open else None,
        )
        .returning(_rows.c.failures)
    )
    return db.session.execute(statement).scalar()


def _open(now: datetime):
    return sa.or_(_rows.c.locked_until.is_(None), _rows.c.locked_until <= _at(now))


def _reserve(key: str, limit: int, now: datetime) -> int | None:
    """One attempt of a pair or a client: the count, or None while the key is locked."""
    lapsed = sa.or_(
        sa.and_(_rows.c.locked_until.is_not(None), _rows.c.locked_until <= _at(now)),
        sa.and_(_rows.c.locked_until.is_(None), _rows.c.first_failure_at <= _at(now - WINDOW)),
    )

    def lock_for(count):
        return sa.case((count >= limit, _at(now + LOCKOUT)), else_=sa.null())

    return _count(key, now, lapsed, lock_for, only_when_open=True)


def account_delay(failures: int) -> timedelta:
    """How long the next attempt on an account waits after this many wrong passwords."""
    if failures < SLOW_AFTER:
        return timedelta(0)
    return min(timedelta(seconds=2 ** (failures - SLOW_AFTER)), MAX_DELAY)


def _slow_down(key: str, now: datetime) -> int:
    """Count a wrong password on the account; `locked_until` becomes when the next attempt may come."""
    # The count starts over once the account has had no wrong password for a whole window.
    lapsed = _rows.c.locked_until <= _at(now - WINDOW)
    steps = math.ceil(math.log2(MAX_DELAY.total_seconds())) + 1

    def lock_for(count):
        whens = [(count >= SLOW_AFTER + n, _at(now + account_delay(SLOW_AFTER + n))) for n in reversed(range(steps))]
        return sa.case(*whens, else_=_at(now))

    return _count(key, now, lapsed, lock_for, only_when_open=False)


def admit(attempt: Attempt) -> None:
    """Reserve this attempt, or raise LoginSlowed (the account waits) or LoginLocked (the client).

    Commit before the password is checked: the reservation is what keeps parallel requests out.
    """
    now = utcnow()
    account = db.session.get(LoginThrottle, attempt.account, populate_existing=True)
    if account is not None and account.locked_until is not None and account.locked_until > now:
        raise LoginSlowed(max(1, math.ceil((account.locked_until - now).total_seconds())))
    if _reserve(attempt.client, MAX_CLIENT_ATTEMPTS, now) is None:
        raise LoginLocked()
    pair_attempts = _reserve(attempt.pair, MAX_PAIR_ATTEMPTS, now)
    if pair_attempts is None:
        raise LoginLocked()
    attempt.pair_attempts = pair_attempts


def record_failure(attempt: Attempt, user_id: int | None) -> None:
    """A wrong password: slow the account down; raise LoginLocked when the pair is now locked
    (recorded for the admins when the account exists)."""
    now = utcnow()
    _slow_down(attempt.account, now)
    _expire(now)
    if attempt.pair_attempts >= MAX_PAIR_ATTEMPTS:
        if user_id is not None:
            # The pair's own count: the account's may still lag behind while parallel attempts finish.
            db.session.add(LoginLockout(user_id=user_id, locked_at=now, attempts=attempt.pair_attempts))
        db.session.flush()
        raise LoginLocked()


def record_success(attempt: Attempt) -> None:
    """The right password: the pair and the account start over, the client gets its attempt back."""
    db.session.execute(
        sa.update(_rows)
        .where(_rows.c.key == attempt.client, _rows.c.failures > 0)
        .values(failures=_rows.c.failures - 1)
    )
    db.session.execute(sa.delete(_rows).where(_rows.c.key.in_([attempt.pair, attempt.account])))


def _expire(now: datetime) -> None:
    # Rows another request holds are left for later: waiting on them could deadlock.
    stale = (
        sa.select(_rows.c.key)
        .where(sa.func.coalesce(_rows.c.locked_until, _rows.c.first_failure_at) <= _at(now - WINDOW))
        .with_for_update(skip_locked=True)
    )
    db.session.execute(sa.delete(_rows).where(_rows.c.key.in_(stale)))
    db.session.execute(sa.delete(LoginLockout).where(LoginLockout.locked_at < now - LOCKOUT_HISTORY))


def recent_lockouts(limit: int = 50) -> list[LoginLockout]:
    """The latest lockouts, newest first, for the admins."""
    return list(
        db.session.scalars(
            sa.select(LoginLockout)
            .where(LoginLockout.locked_at >= utcnow() - LOCKOUT_HISTORY)
            .options(so.selectinload(LoginLockout.user))
            .order_by(LoginLockout.locked_at.desc(), LoginLockout.id.desc())
            .limit(limit)
        )
    )
