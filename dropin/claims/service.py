"""The rules of taking and giving back a place. Views and the API call these; they flush, never commit."""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from dropin.claims.refusals import ClaimRefused, TaskCancelled, TaskClosed, TaskEnded, TaskFull
from dropin.extensions import db
from dropin.models import Claim, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.task import TaskStatus

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read from a screen and say aloud.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 5


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RetryKeyReused(Exception):
    """A retry key that already took a place in another task: the client mixed up its keys."""


def retry_token(secret: str, scope: str, key: str) -> str:
    """The phone token of the claim a client's retry key stands for: the same key, the same claim.

    Derived with the app's secret from `scope` (who may use the key: one kiosk) and the key, so a
    retry finds the first claim by the token hash already stored; nothing more is kept. Like a
    random token it is 24 bytes, and no one without the secret can work it out from the key.
    """
    digest = hmac.new(secret.encode(), f"claim-retry\n{scope}\n{key}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode()


def task_ends_at(task: Task) -> datetime:
    """When the task is over: Task.ends_at, where an end at 00:00 means midnight."""
    return task.ends_at


def refusal(task: Task, active: int, now: datetime | None = None) -> type[ClaimRefused] | None:
    """Why the task cannot be taken right now, or None when it can."""
    if task.status == TaskStatus.CANCELLED:
        return TaskCancelled
    if task.status == TaskStatus.CLOSED:
        return TaskClosed
    now = now or utcnow()
    if now >= task_ends_at(task):
        return TaskEnded
    if task.date != now.astimezone(task.site.zone).date():
        return TaskClosed  # places are taken for today only
    if active >= task.capacity:
        return TaskFull
    return None


def active_counts(task_ids: Iterable[int]) -> dict[int, int]:
    """Active claims per task, in one query."""
    ids = list(task_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Claim.task_id, sa.func.count())
        .where(Claim.task_id.in_(ids), Claim.status == ClaimStatus.ACTIVE)
        .group_by(Claim.task_id)
    )
    counts = dict.fromkeys(ids, 0)
    counts.update({task_id: n for task_id, n in rows})
    return counts


def _new_code(task_id: int) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.session.scalar(sa.select(sa.func.count()).where(Claim.task_id == task_id, Claim.code == code))
        if not taken:
            return code


def lock_task(task: Task) -> None:
    """Take the task's row lock (PostgreSQL) or the write lock (SQLite) for the rest of the transaction.

    Every change to a task's places goes through this first, so counts read after it cannot race.
    """
    db.session.execute(
        sa.update(Task)
        .where(Task.id == task.id)
        # updated_at is kept as is: a claim is not an edit of the task.
        .values(lock_version=Task.lock_version + 1, updated_at=Task.updated_at)
        .execution_options(synchronize_session=False)
    )


def claim_place(
    task: Task, source: str = ClaimSource.KIOSK, over_capacity: bool = False, token: str | None = None
) -> tuple[Claim, str]:
    """Take one place in `task`; return the claim and its phone token (shown once, stored hashed).

    A `token` from `retry_token` makes the claim repeatable: when it already took a place in this
    task, that first claim is returned as it is now, even if the task has filled up since; in
    another task it raises RetryKeyReused.

    `over_capacity` (a walk-in staff confirmed) takes a place in a full task beyond its capacity,
    marked as such; a visitor's own claim never does. The first statement is an UPDATE of the
    task row: on PostgreSQL it takes the row lock, on SQLite the database write lock, so the
    count below cannot race another claim.
    """
    if over_capacity and source != ClaimSource.STAFF:
        raise ValueError("only staff add a place beyond capacity")
    lock_task(task)
    db.session.refresh(task)
    if token is not None:
        # Under the task's lock: the same retry sent twice at once waits here and finds the first.
        earlier = find_claim(token)
        if earlier is not None:
            if earlier.task_id != task.id:
                raise RetryKeyReused()
            return earlier, token
    active = active_counts([task.id])[task.id]
    refused = refusal(task, active)
    beyond = refused is TaskFull and over_capacity
    if refused and not beyond:
        raise refused()
    token = token or secrets.token_urlsafe(24)  # 192 bits
    claim = Claim(task=task, code=_new_code(task.id), token_hash=hash_token(token), source=source, over_capacity=beyond)
    db.session.add(claim)
    try:
        db.session.flush()
    except IntegrityError as error:  # the same retry key at the same moment, for another task
        raise RetryKeyReused() from error
    return claim, token


def find_claim(token: str) -> Claim | None:
    if not token or len(token) > 128:
        return None
    return db.session.scalar(sa.select(Claim).where(Claim.token_hash == hash_token(token)))


def end_claims(status: ClaimStatus, *where) -> int:
    """Move the active claims matching `where` to `status`; return how many actually changed.

    One conditional UPDATE (`status = 'active'` in its WHERE): a claim another request has just
    released or cancelled is left as it is and not counted. Call it under `lock_task`.
    """
    changed = db.session.execute(
        sa.update(Claim)
        .where(Claim.status == ClaimStatus.ACTIVE, *where)
        .values(status=status, ended_at=utcnow())
        .returning(Claim.id)
        .execution_options(synchronize_session="fetch")
    )
    return len(changed.all())


def release_claim(claim: Claim) -> bool:
    """Give the place back, under the task's lock. Returns False when the claim was no longer active
    (given back or cancelled by staff a moment earlier: `claim.status` then says which).

    Raises TaskEnded or TaskClosed once the task is over: a closed day's figures stay as recorded.
    """
    if claim.status != ClaimStatus.ACTIVE:
        return False  # a claim never becomes active again: no lock needed to know
    lock_task(claim.task)
    db.session.refresh(claim.task)
    db.session.refresh(claim)
    if claim.status != ClaimStatus.ACTIVE:
        return False
    refused = refusal(claim.task, 0)
    if refused is not None:
        raise refused()
    released = end_claims(ClaimStatus.RELEASED, Claim.id == claim.id)
    db.session.refresh(claim)
    return bool(released)


def answer_first_time(claim: Claim, first_time: bool) -> None:
    """Record the optional, self-reported 'first time here' answer."""
    claim.first_time = first_time
    db.session.flush()
