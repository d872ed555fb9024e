"""Administration: users, regions, sites and kiosks, and the audit log. Admins only."""

from flask import Blueprint, abort, current_app
from flask_login import current_user

from dropin.admin import labels
from dropin.models.user import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only():
    # One guard for the whole blueprint: a route added later cannot forget it.
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role != Role.ADMIN:
        abort(403)
    return None


@bp.context_processor
def admin_labels():
    return {
        "local_time": labels.local_time,
        "role_name": labels.role_name,
        "action_name": labels.action_name,
        "entity_name": labels.entity_name,
        "field_name": labels.field_name,
        "audit_value": labels.audit_value,
    }


from dropin.admin import audit_routes, kiosk_routes, region_routes, site_routes, user_routes
