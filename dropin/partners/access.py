"""Finding the object a URL names, and refusing what the user may not reach (404 unknown, 403 not theirs)."""

from flask import abort
from flask_login import current_user

from dropin.auth.access import roles_required
from dropin.extensions import db
from dropin.models import Partner, PartnerLink, Proposal, Site, TaskTemplate
from dropin.models.user import ROLE_ADMIN, ROLE_STAFF
from dropin.routing import MAX_ID

staff_only = roles_required(ROLE_STAFF, ROLE_ADMIN)


def _get(model, object_id: int):
    # Ids may also come from form fields, which the URL converter does not see.
    found = db.session.get(model, object_id) if object_id <= MAX_ID else None
    if found is None:
        abort(404)
    return found


def partner_or_404(partner_id: int) -> Partner:
    return _get(Partner, partner_id)


def link_of_partner(partner: Partner, link_id: int) -> PartnerLink:
    """The partner's link, if the user may plan its site."""
    link = _get(PartnerLink, link_id)
    if link.partner_id != partner.id:
        abort(404)
    if not current_user.can_plan(link.site):
        abort(403)
    return link


def template_of_site(site: Site, template_id: int) -> TaskTemplate:
    template = _get(TaskTemplate, template_id)
    if template.site_id != site.id:
        abort(404)
    return template


def proposal_of_site(site: Site, proposal_id: int) -> Proposal:
    proposal = _get(Proposal, proposal_id)
    if proposal.link.site_id != site.id:
        abort(404)
    return proposal
