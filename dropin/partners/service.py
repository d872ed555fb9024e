"""Partners, their recurring task templates and their secret proposal links. Functions flush, never commit.

A partner belongs to the sites that use it (Partner.sites). Staff see and change only their sites'
partners; admins see all. The functions take the acting user's `scope`: the sites they plan, or
None for an admin (every site). Archiving is global only when the partner belongs to no site outside
the scope; otherwise the partner is only taken off the scope's sites (and their links stop), so
another site's partner, links and proposals are never touched by someone who cannot see them.
"""

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
from dropin.partners.link_requests import handle_requests

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


class NoSiteChosen(Exception):
    """A partner must belong to at least one of the sites the acting user plans."""


@dataclass(frozen=True)
class NewLink:
    link: PartnerLink
    token: str  # shown once, right after creation; only its hash is stored


# --- partners ---------------------------------------------------------------------------------


def _in_scope(query, scope: list[Site] | None):
    if scope is None:
        return query
    return query.where(Partner.sites.any(Site.id.in_([site.id for site in scope])))


def partners_by_state(scope: list[Site] | None = None) -> tuple[list[Partner], list[Partner]]:
    """Active partners and archived partners of the scope's sites (None: all), each by name."""
    query = _in_scope(sa.select(Partner), scope).order_by(sa.func.lower(Partner.name))
    partners = db.session.scalars(query).all()
    return [p for p in partners if p.archived_at is None], [p for p in partners if p.archived_at is not None]


def partners_of_site(site: Site) -> list[Partner]:
    """The active partners of one site, by name: what its task and template forms offer."""
    query = _in_scope(sa.select(Partner), [site]).where(Partner.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(sa.func.lower(Partner.name))))


def shared_beyond(partner: Partner, scope: list[Site] | None) -> bool:
    """Whether the partner also belongs to a site outside the scope: then archiving only lets it go there."""
    return scope is not None and any(site not in scope for site in partner.sites)


def may_see(partner: Partner, scope: list[Site] | None) -> bool:
    """Whether someone planning the scope's sites (None: an admin) may see the partner and its contact data."""
    return scope is None or any(site in scope for site in partner.sites)


def _site_slugs(partner: Partner) -> list[str]:
    return sorted(site.slug for site in partner.sites)


def _set_sites(partner: Partner, chosen: list[Site], scope: list[Site] | None) -> None:
    """Make `chosen` the partner's sites among the scope's; sites outside the scope stay. The links
    to a site the partner leaves stop working."""
    if scope is not None and not set(chosen) <= set(scope):
        raise ValueError("a site outside the scope was chosen")
    kept = [site for site in partner.sites if scope is not None and site not in scope]
    new = kept + [site for site in chosen if site not in kept]
    if not new:
        raise NoSiteChosen()
    for site in partner.sites:
        if site not in new:
            for link in links_of(partner):
                if link.site_id == site.id:
                    revoke_link(link)
    partner.sites = sorted(new, key=lambda site: site.name)


def link_site(partner: Partner, site: Site) -> None:
    """Make `site` one of the partner's sites (a link or a task for it means the site uses it)."""
    if site not in partner.sites:
        before = _site_slugs(partner)
        partner.sites.append(site)
        db.session.flush()
        audit.record(
            "partner.update",
            "partner",
            partner.id,
            site.id,
            before={"sites": before},
            after={"sites": _site_slugs(partner)},
        )


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


def _snapshot(partner: Partner) -> dict:
    return {**audit.snapshot(partner, PARTNER_FIELDS), "sites": _site_slugs(partner)}


def create_partner(values: dict, sites: list[Site], scope: list[Site] | None = None) -> Partner:
    """A new partner of `sites` (at least one, all within the acting user's scope)."""
    _ensure_unique_name(values["name"])
    partner = Partner(**values)
    _set_sites(partner, sites, scope)
    _save_unique(lambda: db.session.add(partner))
    audit.record("partner.create", "partner", partner.id, after=_snapshot(partner))
    return partner


def update_partner(
    partner: Partner, values: dict, sites: list[Site] | None = None, scope: list[Site] | None = None
) -> Partner:
    """Change a partner's fields and, given `sites`, its sites among the scope's."""
    _ensure_unique_name(values["name"], partner.id)
    before = _snapshot(partner)
    if sites is not None:
        _set_sites(partner, sites, scope)

    def change():
        for name, value in values.items():
            setattr(partner, name, value)

    _save_unique(change)
    old, new = audit.changed(before, _snapshot(partner))
    if new:
        audit.record("partner.update", "partner", partner.id, before=old, after=new)
    return partner


def archive_for(partner: Partner, scope: list[Site] | None) -> bool:
    """Archive the partner for the acting user. True: archived for everyone (it belonged to no site
    outside the scope). False: only taken off the scope's sites; other sites keep it and its links."""
    if not shared_beyond(partner, scope):
        set_archived(partner, True)
        return True
    before = _site_slugs(partner)
    _set_sites(partner, [], scope)
    db.session.flush()
    audit.record(
        "partner.update", "partner", partner.id, before={"sites": before}, after={"sites": _site_slugs(partner)}
    )
    return False


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


def links_of(partner: Partner, scope: list[Site] | None = None) -> list[PartnerLink]:
    """The partner's links to the scope's sites (None: all), working ones first, newest first."""
    query = sa.select(PartnerLink).where(PartnerLink.partner_id == partner.id)
    if scope is not None:
        query = query.where(PartnerLink.site_id.in_([site.id for site in scope]))
    return list(
        db.session.scalars(
            query.options(so.joinedload(PartnerLink.site)).order_by(
                PartnerLink.revoked_at.is_not(None), PartnerLink.created_at.desc(), PartnerLink.id.desc()
            )
        )
    )


def create_link(partner: Partner, site: Site) -> NewLink:
    """A secret link for `partner` to propose tasks to `site`. The token is returned once, stored hashed."""
    token = secrets.token_urlsafe(32)
    link_site(partner, site)
    link = PartnerLink(partner=partner, site=site, token_hash=hash_token(token))
    db.session.add(link)
    db.session.flush()
    handle_requests(partner)  # a partner that asked for its link again has one now
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
