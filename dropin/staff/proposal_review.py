"""Staff review the tasks partners propose through their links: approve (a task is created) or reject.

Functions flush, never commit."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin import audit
from dropin.extensions import db
from dropin.models import PartnerLink, Proposal, Site, Task
from dropin.models.base import utcnow
from dropin.models.proposal import ProposalStatus
from dropin.models.task_content import Demand, Setting
from dropin.staff.service import create_task, ensure_open

OUTDOOR_CATEGORIES = {"cleanup", "invasive", "gardening"}
TRANSLATIONS = ("title_sv", "title_en", "description_sv", "description_en")


class ProposalDecided(Exception):
    """The proposal was already approved or rejected (perhaps a moment ago, by a colleague)."""


class ProposalInPast(Exception):
    """The proposed day has gone by: it can only be rejected."""


def _of_site(site: Site):
    return (
        sa.select(Proposal)
        .join(Proposal.link)
        .where(PartnerLink.site_id == site.id)
        .options(so.contains_eager(Proposal.link).joinedload(PartnerLink.partner))
    )


def pending_proposals(site: Site) -> list[Proposal]:
    """Proposals waiting at `site`, soonest day first."""
    return list(
        db.session.scalars(
            _of_site(site)
            .where(Proposal.status == ProposalStatus.PENDING)
            .order_by(Proposal.date, Proposal.start_time, Proposal.id)
        )
    )


def recent_decisions(site: Site, limit: int = 10) -> list[Proposal]:
    return list(
        db.session.scalars(
            _of_site(site)
            .where(Proposal.status != ProposalStatus.PENDING)
            .order_by(Proposal.decided_at.desc(), Proposal.id.desc())
            .limit(limit)
        )
    )


def pending_count(site_ids: list[int] | None) -> int:
    """Proposals waiting at these sites (None: at every site)."""
    query = (
        sa.select(sa.func.count())
        .select_from(Proposal)
        .join(Proposal.link)
        .where(Proposal.status == ProposalStatus.PENDING)
    )
    if site_ids is not None:
        if not site_ids:
            return 0
        query = query.where(PartnerLink.site_id.in_(site_ids))
    return db.session.scalar(query) or 0


def pending_per_site(site_ids: list[int]) -> dict[int, int]:
    """Proposals waiting at each of these sites, in one query."""
    rows = db.session.execute(
        sa.select(PartnerLink.site_id, sa.func.count())
        .select_from(Proposal)
        .join(Proposal.link)
        .where(Proposal.status == ProposalStatus.PENDING, PartnerLink.site_id.in_(site_ids))
        .group_by(PartnerLink.site_id)
    )
    counts = dict.fromkeys(site_ids, 0)
    counts.update({site_id: n for site_id, n in rows})
    return counts


def _decide(proposal: Proposal, status: str, user_id: int | None) -> None:
    # A conditional UPDATE: of two staff deciding at once, exactly one wins.
    result = db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == ProposalStatus.PENDING)
        .values(status=status, decided_at=utcnow(), decided_by_id=user_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(proposal)
        raise ProposalDecided()
    db.session.refresh(proposal)


def _task_values(proposal: Proposal) -> dict:
    """The task a proposal becomes: the partner's words, and what staff would pick for its category."""
    outdoor = proposal.category in OUTDOOR_CATEGORIES
    return {
        "partner_id": proposal.link.partner_id,
        "date": proposal.date,
        "start_time": proposal.start_time,
        "end_time": proposal.end_time,
        "title": proposal.title,
        "description": proposal.description or "",
        **{name: getattr(proposal, name) for name in TRANSLATIONS},
        "category": proposal.category,
        "place": proposal.place,
        "capacity": proposal.capacity,
        "bring": proposal.bring,
        "setting": Setting.OUTDOOR if outdoor else Setting.INDOOR,
        "physical_demand": Demand.MODERATE if outdoor else Demand.LIGHT,
        "meal_included": True,
    }


def approve_proposal(proposal: Proposal, user_id: int | None, admin: bool = False) -> Task:
    """Turn a pending proposal into a task of the partner on the proposed day.

    Raises ProposalDecided when it was decided already, ProposalInPast for a day gone by,
    and DayClosed when the day is closed (admins may still approve).
    """
    if proposal.status != ProposalStatus.PENDING:
        raise ProposalDecided()
    site, partner = proposal.link.site, proposal.link.partner
    if proposal.date < site.today():
        raise ProposalInPast()
    ensure_open(site, proposal.date, admin)  # before the decision: a refused approval leaves it pending
    _decide(proposal, ProposalStatus.APPROVED, user_id)
    # The partner proposed the time and staff approve it: no second question about an end already past.
    task = create_task(site, _task_values(proposal), admin, past_end_confirmed=True)
    proposal.task_id = task.id
    db.session.flush()
    audit.record(
        "proposal.approve",
        "proposal",
        proposal.id,
        site.id,
        before={"status": ProposalStatus.PENDING},
        after={"status": ProposalStatus.APPROVED, "task_id": task.id, "partner_id": partner.id},
    )
    return task


def reject_proposal(proposal: Proposal, user_id: int | None) -> None:
    """Decline a pending proposal; it stays in the history."""
    if proposal.status != ProposalStatus.PENDING:
        raise ProposalDecided()
    _decide(proposal, ProposalStatus.REJECTED, user_id)
    audit.record(
        "proposal.reject",
        "proposal",
        proposal.id,
        proposal.link.site_id,
        before={"status": ProposalStatus.PENDING},
        after={"status": ProposalStatus.REJECTED},
    )
