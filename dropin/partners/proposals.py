"""Tasks that partners propose through their links, and staff's approval. Functions flush, never commit."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin import audit
from dropin.extensions import db
from dropin.models import PartnerLink, Proposal, Site, Task
from dropin.models.base import utcnow
from dropin.models.proposal import PROPOSAL_APPROVED, PROPOSAL_PENDING, PROPOSAL_REJECTED
from dropin.staff.service import AUDIT_FIELDS as TASK_AUDIT_FIELDS
from dropin.staff.service import ensure_open

PROPOSAL_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "title",
    "description",
    "category",
    "place",
    "capacity",
    "bring",
    "status",
)
OUTDOOR_CATEGORIES = {"cleanup", "invasive", "gardening"}


class ProposalDecided(Exception):
    """The proposal was already approved or rejected (perhaps a moment ago, by a colleague)."""


class ProposalInPast(Exception):
    """The proposed day has gone by: it can only be rejected."""


def submit_proposal(link: PartnerLink, values: dict) -> Proposal:
    """A partner's proposal for the link's site, waiting for staff. A double tap sends it once."""
    same = db.session.scalar(
        sa.select(Proposal).where(
            Proposal.link_id == link.id,
            Proposal.status == PROPOSAL_PENDING,
            Proposal.date == values["date"],
            Proposal.start_time == values["start_time"],
            Proposal.title == values["title"],
        )
    )
    if same is not None:
        return same
    proposal = Proposal(link=link, **values)
    db.session.add(proposal)
    db.session.flush()
    audit.record(
        "proposal.submit",
        "proposal",
        proposal.id,
        link.site_id,
        after={"partner_id": link.partner_id, **audit.snapshot(proposal, PROPOSAL_FIELDS)},
    )
    return proposal


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
            .where(Proposal.status == PROPOSAL_PENDING)
            .order_by(Proposal.date, Proposal.start_time, Proposal.id)
        )
    )


def recent_decisions(site: Site, limit: int = 10) -> list[Proposal]:
    return list(
        db.session.scalars(
            _of_site(site)
            .where(Proposal.status != PROPOSAL_PENDING)
            .order_by(Proposal.decided_at.desc(), Proposal.id.desc())
            .limit(limit)
        )
    )


def pending_count(site_ids: list[int] | None) -> int:
    """Proposals waiting at these sites (None: at every site)."""
    query = (
        sa.select(sa.func.count()).select_from(Proposal).join(Proposal.link).where(Proposal.status == PROPOSAL_PENDING)
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
        .where(Proposal.status == PROPOSAL_PENDING, PartnerLink.site_id.in_(site_ids))
        .group_by(PartnerLink.site_id)
    )
    counts = dict.fromkeys(site_ids, 0)
    counts.update({site_id: n for site_id, n in rows})
    return counts


def _decide(proposal: Proposal, status: str, user_id: int | None) -> None:
    # A conditional UPDATE: of two staff deciding at once, exactly one wins.
    result = db.session.execute(
        sa.update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == PROPOSAL_PENDING)
        .values(status=status, decided_at=utcnow(), decided_by_id=user_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(proposal)
        raise ProposalDecided()
    db.session.refresh(proposal)


def approve_proposal(proposal: Proposal, user_id: int | None, admin: bool = False) -> Task:
    """Turn a pending proposal into a task of the partner on the proposed day.

    Raises ProposalDecided when it was decided already, ProposalInPast for a day gone by,
    and DayClosed when the day is closed (admins may still approve).
    """
    if proposal.status != PROPOSAL_PENDING:
        raise ProposalDecided()
    site, partner = proposal.link.site, proposal.link.partner
    if proposal.date < site.today():
        raise ProposalInPast()
    ensure_open(site, proposal.date, admin)
    _decide(proposal, PROPOSAL_APPROVED, user_id)
    outdoor = proposal.category in OUTDOOR_CATEGORIES
    task = Task(
        site=site,
        partner_id=partner.id,
        date=proposal.date,
        start_time=proposal.start_time,
        end_time=proposal.end_time,
        title=proposal.title,
        description=proposal.description or "",
        category=proposal.category,
        place=proposal.place,
        capacity=proposal.capacity,
        bring=proposal.bring,
        setting="outdoor" if outdoor else "indoor",
        physical_demand="moderate" if outdoor else "light",
        meal_included=True,
    )
    db.session.add(task)
    db.session.flush()
    proposal.task_id = task.id
    db.session.flush()
    audit.record("task.create", "task", task.id, site.id, after=audit.snapshot(task, TASK_AUDIT_FIELDS))
    audit.record(
        "proposal.approve",
        "proposal",
        proposal.id,
        site.id,
        before={"status": PROPOSAL_PENDING},
        after={"status": PROPOSAL_APPROVED, "task_id": task.id, "partner_id": partner.id},
    )
    return task


def reject_proposal(proposal: Proposal, user_id: int | None) -> None:
    """Decline a pending proposal; it stays in the history."""
    if proposal.status != PROPOSAL_PENDING:
        raise ProposalDecided()
    _decide(proposal, PROPOSAL_REJECTED, user_id)
    audit.record(
        "proposal.reject",
        "proposal",
        proposal.id,
        proposal.link.site_id,
        before={"status": PROPOSAL_PENDING},
        after={"status": PROPOSAL_REJECTED},
    )
