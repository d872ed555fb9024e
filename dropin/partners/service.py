"""Partners, their recurring task templates and their secret proposal links. Functions flush, never commit."""

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.exc import IntegrityError

from dropin import audit
from dropin.claims.service import hash_token
from dropin.extensions import db
from dropin.models import Partner, PartnerLink, Proposal, Site
from dropin.models.base import utcnow
from dropin.models.proposal import ProposalStatus

PARTNER_FIELDS = ("name", "kind", "contact_person", "phone", "email", "notes", "archived_at")
MAX_TOKEN_LENGTH = 128
PROPOSAL_FIELDS = (
    "date",
    "start_time",
    "end_time",
    "title",
    "title_sv",
    "title_en",
    "description",
    "description_sv",
    "description_en",
    "category",
    "place",
    "capacity",
    "bring",
    "status",
)


class PartnerNameTaken(Exception):
    """Another partner already has that name (case does not matter)."""


@dataclass(frozen=True)
class NewLink:
    link: PartnerLink
    token: str  # shown once, right after creation; only its hash is stored


# --- partners ---------------------------------------------------------------------------------


def partners_by_state() -> tuple[list[Partner], list[Partner]]:
    """Active partners and archived partners, each by name."""
    partners = db.session.scalars(sa.select(Partner).order_by(sa.func.lower(Partner.name))).all()
    return [p for p in partners if p.archived_at is None], [p for p in partners if p.archived_at is not None]


def _ensure_unique_name(name: str, partner_id: int | None = None) -> None:
    query = sa.select(Partner.id).where(sa.func.lower(Partner.name) == name.lower())
    if partner_id is not None:
        query = query.where(Partner.id != partner_id)
    if db.session.scalar(query) is not None:
        raise PartnerNameTaken()


def _save_unique(change) -> None:
    """Apply `change` and flush in a savepoint: a name taken meanwhile by another request undoes only this."""
    try:
        with db.session.begin_nested():
            change()
            db.session.flush()
    except IntegrityError as error:
        raise PartnerNameTaken() from error


def create_partner(values: dict) -> Partner:
    _ensure_unique_name(values["name"])
    partner = Partner(**values)
    _save_unique(lambda: db.session.add(partner))
    audit.record("partner.create", "partner", partner.id, after=audit.snapshot(partner, PARTNER_FIELDS))
    return partner


def update_partner(partner: Partner, values: dict) -> Partner:
    _ensure_unique_name(values["name"], partner.id)
    before = audit.snapshot(partner, PARTNER_FIELDS)

    def change():
        for name, value in values.items():
            setattr(partner, name, value)

    _save_unique(change)
    old, new = audit.changed(before, audit.snapshot(partner, PARTNER_FIELDS))
    if new:
        audit.record("partner.update", "partner", partner.id, before=old, after=new)
    return partner


def set_archived(partner: Partner, archived: bool) -> bool:
    """Archive or bring back a partner; its tasks, templates and history stay. False if nothing changed."""
    if (partner.archived_at is not None) == archived:
        return False
    before = audit.snapshot(partner, ("archived_at",))
    partner.archived_at = utcnow() if archived else None
    db.session.flush()
    audit.record(
        "partner.archive" if archived else "partner.unarchive",
        "partner",
        partner.id,
        before=before,
        after=audit.snapshot(partner, ("archived_at",)),
    )
    return True


# --- proposal links ---------------------------------------------------------------------------


def links_of(partner: Partner) -> list[PartnerLink]:
    return list(
        db.session.scalars(
            sa.select(PartnerLink)
            .where(PartnerLink.partner_id == partner.id)
            .options(so.joinedload(PartnerLink.site))
            .order_by(PartnerLink.revoked_at.is_not(None), PartnerLink.created_at.desc(), PartnerLink.id.desc())
        )
    )


def create_link(partner: Partner, site: Site) -> NewLink:
    """A secret link for `partner` to propose tasks to `site`. The token is returned once, stored hashed."""
    token = secrets.token_urlsafe(32)
    link = PartnerLink(partner=partner, site=site, token_hash=hash_token(token))
    db.session.add(link)
    db.session.flush()
    audit.record(
        "partner_link.create", "partner_link", link.id, site.id, after={"partner_id": partner.id, "site_id": site.id}
    )
    return NewLink(link, token)


def revoke_link(link: PartnerLink) -> bool:
    """Stop a link from working. False when it was already revoked."""
    if link.revoked_at is not None:
        return False
    link.revoked_at = utcnow()
    db.session.flush()
    audit.record(
        "partner_link.revoke",
        "partner_link",
        link.id,
        link.site_id,
        before={"revoked_at": None},
        after=audit.snapshot(link, ("revoked_at",)),
    )
    return True


def find_link(token: str) -> PartnerLink | None:
    """The working link of that token: not revoked, its partner not archived. None otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    link = db.session.scalar(sa.select(PartnerLink).where(PartnerLink.token_hash == hash_token(token)))
    if link is None or link.revoked_at is not None or link.partner.archived_at is not None:
        return None
    return link


# --- proposals ----------------------------------------------------------------------------------


def submit_proposal(link: PartnerLink, values: dict) -> Proposal:
    """A partner's proposal for the link's site, waiting for staff. A double tap sends it once."""
    same = db.session.scalar(
        sa.select(Proposal).where(
            Proposal.link_id == link.id,
            Proposal.status == ProposalStatus.PENDING,
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
