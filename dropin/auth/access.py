"""Least privilege: who may do what. Anonymous users go to log in; the wrong role gets 403."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from dropin.kiosk.service import find_site
from dropin.models import Site
from dropin.models.user import ROLE_ADMIN


def roles_required(*roles: str):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def plannable_site(slug: str) -> Site:
    """The site of that slug, if the current user may plan it (404 unknown, 403 not theirs)."""
    site = find_site(slug)
    if site is None:
        abort(404)
    if not current_user.can_plan(site):
        abort(403)
    return site


def is_admin() -> bool:
    return current_user.is_authenticated and current_user.role == ROLE_ADMIN
