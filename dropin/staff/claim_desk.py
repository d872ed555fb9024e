"""The code on the receipt at the staff desk: find a claim by its code, mark the visitor arrived,
give the place back for them. Views call these; they flush, never commit.

Codes are unique per task, not per site, so a code can name more than one claim of a site's
last days: `find_claims` returns them all, the newest day first, and staff act on one by its id.
Releasing follows the visitor's own rule (`release_claim`); arrivals are optional check-ins the
day's close and the statistics read. Nothing here learns or logs anything about the visitor.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from dropin import audit
from dropin.claims.service import refusal, release_claim
from dropin.extensions import db
from dropin.models import Claim, Site, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimStatus
from dropin.models.task import TaskStatus
from dropin.staff.service import DayClosed, day_state

# A receipt is shown "today and in the last seven days": older codes are not looked up.
LOOKBACK_DAYS = 7
# Spaces and dashes a person may type between the characters of a code.
SEPARATORS = re.compile(r"[\s\-‐‑–—]+")
CODE = re.compile(r"[A-Z0-9]{1,8}")


class PlaceNotHeld(Exception):
    """The place was given back or cancelled: there is no arrival to mark."""


def normalize_code(raw: str | None) -> str | None:
    """The code as stored (upper case, no spaces or dashes), or None when it cannot be a code."""
    if not raw or len(raw) > 40:
        return None
    code = SEPARATORS.sub("", raw).upper()
    return code if CODE.fullmatch(code) else None


def find_claims(site: Site, raw_code: str | None) -> list[Claim]:
    """The site's claims of that code on tasks of today and the last seven days, the newest first."""
    code = normalize_code(raw_code)
    if code is None:
        return []
    today = site.today()
    return list(
        db.session.scalars(
            sa.select(Claim)
            .join(Task, Task.id == Claim.task_id)
            .where(
                Task.site_id == site.id,
                Task.date >= today - timedelta(days=LOOKBACK_DAYS),
                Task.date <= today,
                Claim.code == code,
            )
            .order_by(Task.date.desc(), Claim.created_at.desc(), Claim.id.desc())
        )
    )


def claim_at_desk(site: Site, raw_code: str | None, claim_id: int) -> Claim | None:
    """One of `find_claims`: a form names the claim by id, the URL by its code; both must agree."""
    return next((claim for claim in find_claims(site, raw_code) if claim.id == claim_id), None)


def _arrivals_open(claim: Claim) -> bool:
    return claim.task.status != TaskStatus.CANCELLED and not day_state(claim.task.site, claim.task.date).closed


def _ensure_arrivals_open(claim: Claim) -> None:
    if day_state(claim.task.site, claim.task.date).closed:
        raise DayClosed()
    if not claim.active or claim.task.status == TaskStatus.CANCELLED:
        raise PlaceNotHeld()


@dataclass(frozen=True)
class DeskClaim:
    """A claim as the desk shows it: times in the site's zone and what staff may do with it now."""

    claim: Claim
    can_arrive: bool
    can_undo_arrival: bool
    can_release: bool

    def _local(self, moment: datetime | None) -> datetime | None:
        return moment.astimezone(self.claim.task.site.zone) if moment else None

    @property
    def taken_at(self) -> datetime:
        return self._local(self.claim.created_at)

    @property
    def arrived_at(self) -> datetime | None:
        return self._local(self.claim.arrived_at)

    @property
    def ended_at(self) -> datetime | None:
        return self._local(self.claim.ended_at)


def desk_claim(claim: Claim) -> DeskClaim:
    open_ = _arrivals_open(claim)
    return DeskClaim(
        claim,
        can_arrive=open_ and claim.active and claim.arrived_at is None,
        can_undo_arrival=open_ and claim.arrived_at is not None,
        can_release=claim.active and refusal(claim.task, 0) is None,
    )


def _set_arrival(claim: Claim, when: datetime | None) -> bool:
    """Set or clear the arrival in one conditional UPDATE, so two taps at once record it once."""
    has = Claim.arrived_at.is_(None) if when else Claim.arrived_at.is_not(None)
    changed = db.session.execute(
        sa.update(Claim)
        .where(Claim.id == claim.id, has)
        .values(arrived_at=when)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(claim)
    return bool(changed)


def mark_arrived(claim: Claim) -> bool:
    """The visitor came: record the time. False when it was already recorded (nothing changes).

    Raises PlaceNotHeld for a place given back or cancelled, DayClosed once the day is closed.
    """
    _ensure_arrivals_open(claim)
    if not _set_arrival(claim, utcnow()):
        return False
    audit.record(
        "claim.arrive",
        "claim",
        claim.id,
        claim.task.site_id,
        after={"task_id": claim.task_id, "arrived_at": audit.snapshot(claim, ("arrived_at",))["arrived_at"]},
    )
    return True


def undo_arrival(claim: Claim) -> bool:
    """A tap on the wrong code: forget the arrival. False when none was recorded. Raises DayClosed."""
    if day_state(claim.task.site, claim.task.date).closed:
        raise DayClosed()
    before = audit.snapshot(claim, ("arrived_at",))
    if not _set_arrival(claim, None):
        return False
    audit.record(
        "claim.unarrive", "claim", claim.id, claim.task.site_id, before=before, after={"task_id": claim.task_id}
    )
    return True


def release_for_visitor(claim: Claim) -> bool:
    """Give the place back for the visitor, by the visitor's own rule (`release_claim`), audited.

    False when it was no longer held; raises TaskEnded or TaskClosed once the task is over.
    """
    # release_claim takes the task's lock: a visitor releasing on their phone at the same moment waits.
    if not release_claim(claim):
        return False
    audit.record(
        "claim.release",
        "claim",
        claim.id,
        claim.task.site_id,
        before={"status": ClaimStatus.ACTIVE},
        after={"status": ClaimStatus.RELEASED},
    )
    return True
