"""A partner asks for its secret link again; staff of its sites make a new one. Functions flush, never commit.

No email is sent (dropin runs on a closed network): the request waits on the staff's partners page
and staff deliver the new link themselves. The address typed is only compared, never stored or
logged: a request keeps the partner alone. Whether an address matched is never told to the asker.
"""

import sqlalchemy as sa
import sqlalchemy.orm as so

from dropin import audit
from dropin.extensions import db
from dropin.models import Partner, Site
from dropin.models.base import utcnow
from dropin.models.partner import PartnerLinkRequest


def request_link(email: str) -> int:
    """Note a request for every active partner whose address is `email` (case and spaces do not matter).

    A partner that already has a request waiting gets no second one. Returns how many were noted,
    for tests and the audit only: the asker is always told the same."""
    address = (email or "").strip().lower()
    if not address:
        return 0
    partners = db.session.scalars(
        sa.select(Partner).where(sa.func.lower(sa.func.trim(Partner.email)) == address, Partner.archived_at.is_(None))
    ).all()
    noted = 0
    for partner in partners:
        waiting = db.session.scalar(
            sa.select(PartnerLinkRequest.id).where(
                PartnerLinkRequest.partner_id == partner.id, PartnerLinkRequest.handled_at.is_(None)
            )
        )
        if waiting is not None:
            continue
        request = PartnerLinkRequest(partner=partner)
        db.session.add(request)
        db.session.flush()
        audit.record("partner_link.request", "partner", partner.id, after={"partner_id": partner.id})
        noted += 1
    return noted


def waiting_requests(scope: list[Site] | None) -> list[PartnerLinkRequest]:
    """Requests not yet handled for partners of the scope's sites (None: every site), oldest first."""
    query = (
        sa.select(PartnerLinkRequest)
        .join(PartnerLinkRequest.partner)
        .where(PartnerLinkRequest.handled_at.is_(None), Partner.archived_at.is_(None))
        .options(so.contains_eager(PartnerLinkRequest.partner).selectinload(Partner.sites))
        .order_by(PartnerLinkRequest.created_at, PartnerLinkRequest.id)
    )
    if scope is not None:
        query = query.where(Partner.sites.any(Site.id.in_([site.id for site in scope])))
    return list(db.session.scalars(query))


def handle_requests(partner: Partner) -> int:
    """A new link was made for the partner: its waiting requests are done. Returns how many."""
    requests = db.session.scalars(
        sa.select(PartnerLinkRequest).where(
            PartnerLinkRequest.partner_id == partner.id, PartnerLinkRequest.handled_at.is_(None)
        )
    ).all()
    for request in requests:
        request.handled_at = utcnow()
    db.session.flush()
    return len(requests)
