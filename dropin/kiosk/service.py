"""Kiosks: enrollment, recognising an enrolled browser, and the day's board."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from itsdangerous import BadSignature, URLSafeSerializer

from dropin.claims.service import ClaimRefused, active_counts, hash_token, refusal
from dropin.extensions import db
from dropin.models import Kiosk, Site, Task
from dropin.models.base import utcnow

BOARD_ORDER = {"open": 0, "full": 1, "cancelled": 2, "closed": 3, "ended": 4}


@dataclass(frozen=True)
class Enrollment:
    kiosk: Kiosk
    enroll_token: str  # one-time, for the enrollment URL
    api_token: str  # long-lived bearer token for the JSON API


@dataclass(frozen=True)
class TaskCard:
    task: Task
    taken: int
    refused: type[ClaimRefused] | None

    @property
    def free(self) -> int:
        return max(self.task.capacity - self.taken, 0)

    @property
    def claimable(self) -> bool:
        return self.refused is None

    @property
    def state(self) -> str:
        """open, full, cancelled, closed or ended: what the card shows."""
        return self.refused.reason if self.refused else "open"


def find_site(slug: str) -> Site | None:
    return db.session.scalar(sa.select(Site).where(Site.slug == slug))


def enroll_kiosk(site: Site, name: str) -> Enrollment:
    """Create a kiosk for `site`; its secrets are returned once and stored only as hashes."""
    enroll_token, api_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    kiosk = Kiosk(
        site=site,
        name=name,
        enroll_token_hash=hash_token(enroll_token),
        api_token_hash=hash_token(api_token),
        cookie_secret=secrets.token_hex(16),
    )
    db.session.add(kiosk)
    db.session.flush()
    return Enrollment(kiosk, enroll_token, api_token)


def redeem_enrollment(token: str) -> Kiosk | None:
    """Use up a one-time enrollment token; None when it is unknown or already used."""
    if not token or len(token) > 128:
        return None
    kiosk = db.session.scalar(sa.select(Kiosk).where(Kiosk.enroll_token_hash == hash_token(token)))
    if kiosk is None or not kiosk.active:
        return None
    kiosk.enroll_token_hash = None
    kiosk.enrolled_at = utcnow()
    db.session.flush()
    return kiosk


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="dropin.kiosk")


def kiosk_cookie(kiosk: Kiosk, secret_key: str) -> str:
    return _serializer(secret_key).dumps({"k": kiosk.id, "s": kiosk.cookie_secret})


def kiosk_from_cookie(value: str | None, secret_key: str) -> Kiosk | None:
    if not value:
        return None
    try:
        data = _serializer(secret_key).loads(value)
        kiosk = db.session.get(Kiosk, int(data["k"]))
        secret = str(data["s"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if kiosk is None or not kiosk.active or not secrets.compare_digest(kiosk.cookie_secret, secret):
        return None
    return kiosk


def kiosk_from_api_token(token: str | None) -> Kiosk | None:
    if not token or len(token) > 128:
        return None
    kiosk = db.session.scalar(sa.select(Kiosk).where(Kiosk.api_token_hash == hash_token(token)))
    return kiosk if kiosk is not None and kiosk.active else None


def day_tasks(site: Site, day: date) -> list[Task]:
    return list(
        db.session.scalars(
            sa.select(Task)
            .where(Task.site_id == site.id, Task.date == day)
            .options(so.joinedload(Task.partner), so.joinedload(Task.site))
            .order_by(Task.start_time, Task.title)
        )
    )


def day_board(site: Site, day: date, now: datetime | None = None) -> list[TaskCard]:
    """The site's tasks of `day` with places taken and whether each can be taken now."""
    tasks = day_tasks(site, day)
    counts = active_counts(t.id for t in tasks)
    now = now or utcnow()
    cards = [TaskCard(t, counts[t.id], refusal(t, counts[t.id], now)) for t in tasks]
    # What can still be taken comes first; the rest keeps its place in time below.
    return sorted(cards, key=lambda c: BOARD_ORDER[c.state])


def task_card(task: Task, now: datetime | None = None) -> TaskCard:
    taken = active_counts([task.id])[task.id]
    return TaskCard(task, taken, refusal(task, taken, now))
