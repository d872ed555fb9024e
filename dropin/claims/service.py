"""The rules of taking and giving back a place. Views and the API call these; they flush, never commit."""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.dialects import postgresql, sqlite

from dropin.claims.refusals import ClaimRefused, TaskCancelled, TaskClosed, TaskEnded, TaskFull
from dropin.data_version import lock_site
from dropin.extensions import db
from dropin.models import Claim, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.task import TaskStatus

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read from a screen and say aloud.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 5
# 25**5 codes: a task of 100 places draws a taken one once in 100 000 claims.
CODE_TRIES = 20


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


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def lock_task(task: Task) -> None:
    """Take the lock on the task's places for the rest of the transaction: its site's (`lock_site`).

    Every change to a task's places goes through this first, so counts read after it cannot race;
    the same statement marks the site's board as changed.
    """
    lock_site(task.site_id)


def _refresh_and_count(task: Task) -> int:
    """Re-read the task under the lock and count its active claims, in one statement."""
    active = (
        sa.select(sa.func.count(Claim.id))
        .where(Claim.task_id == Task.id, Claim.status == ClaimStatus.ACTIVE)
        .correlate(Task)
        .scalar_subquery()
    )
    # The site comes along: a refreshed task would otherwise reload it for its time zone.
    query = (
        sa.select(Task, active)
        .where(Task.id == task.id)
        .options(so.joinedload(Task.site))
        .execution_options(populate_existing=True)
    )
    return db.session.execute(query).one()[1]


def _insert_claim(**values) -> Claim | None:
    """INSERT the claim unless a unique key is taken (its code in the task, or its token): then None."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Claim).values(**values).on_conflict_do_nothing().returning(Claim)
    return db.session.scalars(statement).first()


def _earlier_claim(task: Task, token: str) -> Claim | None:
    """The claim a retry's token already took, when it took one: in this task, or RetryKeyReused."""
    earlier = find_claim(token)
    if earlier is not None and earlier.task_id != task.id:
        raise RetryKeyReused()
    return earlier


def claim_place(
    task: Task, source: str = ClaimSource.KIOSK, over_capacity: bool = False, token: str | None = None
) -> tuple[Claim, str]:
    """Take one place in `task`; return the claim and its phone token (shown once, stored hashed).

    A `token` from `retry_token` makes the claim repeatable: when it already took a place in this
    task, that first claim is returned as it is now, even if the task has filled up since; in
    another task it raises RetryKeyReused.

    `over_capacity` (a walk-in staff confirmed) takes a place in a full task beyond its capacity,
    marked as such; a visitor's own claim never does.

    Three statements: the lock (`lock_task`), the task re-read with its count of places taken,
    and the INSERT. The claim's code is drawn at random and the INSERT skips a code the task
    already has (ON CONFLICT DO NOTHING), so a clash costs one more INSERT, not a SELECT per claim.
    """
    if over_capacity and source != ClaimSource.STAFF:
        raise ValueError("only staff add a place beyond capacity")
    lock_task(task)
    refused = refusal(task, _refresh_and_count(task))
    beyond = refused is TaskFull and over_capacity
    if refused and not beyond:
        # A retry of a claim that took the last place still gets its claim back.
        earlier = _earlier_claim(task, token) if token is not None else None
        if earlier is None:
            raise refused()
        return earlier, token
    retry = token is not None
    token = token or secrets.token_urlsafe(24)  # 192 bits
    for _ in range(CODE_TRIES):
        claim = _insert_claim(
            task_id=task.id, code=_new_code(), token_hash=hash_token(token), source=source, over_capacity=beyond
        )
        if claim is not None:
            return claim, token
        # Under the lock: the same retry sent twice at once waits and then finds the first here.
        earlier = _earlier_claim(task, token) if retry else None
        if earlier is not None:
            return earlier, token
    raise RuntimeError(f"no free claim code in {CODE_TRIES} tries")


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
