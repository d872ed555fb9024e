"""Partners, their task templates, secret proposal links and the proposals that come through them."""

from flask import Blueprint
from flask_login import current_user

from dropin.models.user import ROLE_ADMIN, ROLE_STAFF

bp = Blueprint("partners", __name__)


@bp.app_context_processor
def proposal_badge():
    """`pending_proposal_count(site=None)` for the staff menu and tabs; one query, only when a page asks."""

    def pending_proposal_count(site=None) -> int:
        from dropin.partners.proposals import pending_count

        if not current_user.is_authenticated or current_user.role not in (ROLE_STAFF, ROLE_ADMIN):
            return 0
        if site is not None:
            return pending_count([site.id])
        return pending_count(None if current_user.role == ROLE_ADMIN else [s.id for s in current_user.sites])

    return {"pending_proposal_count": pending_proposal_count}


from dropin.partners import (  # noqa: E402,F401
    partner_routes,
    proposal_routes,
    public_routes,
    template_routes,
)
