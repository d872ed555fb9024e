"""The staff desk: the day planner, closing the day, recurring task templates and partners' proposals."""

from flask import Blueprint
from flask_login import current_user

from dropin.models.user import Role

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.app_context_processor
def proposal_badge():
    """`pending_proposal_count(site=None)` for the staff menu and tabs; one query, only when a page asks."""

    def pending_proposal_count(site=None) -> int:
        from dropin.staff.proposal_review import pending_count

        if not current_user.is_authenticated or current_user.role not in (Role.STAFF, Role.ADMIN):
            return 0
        if site is not None:
            return pending_count([site.id])
        return pending_count(None if current_user.role == Role.ADMIN else [s.id for s in current_user.sites])

    return {"pending_proposal_count": pending_proposal_count}


from dropin.staff import claim_routes, close_routes, day_routes, proposal_routes, routes, template_routes
