"""Least privilege: who may do what. Anonymous users go to log in; the wrong role gets 403."""

from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from dropin.extensions import db
from dropin.models import Site
from dropin.models.user import Role
from dropin.sites import find_site


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


# Staff plan days, partners and templates; project workers read the statistics; admins do both.
staff_only = roles_required(Role.STAFF, Role.ADMIN)
workers_only = roles_required(Role.WORKER, Role.ADMIN)


def plannable_site(slug: str) -> Site:
    """The site of that slug, if the current user may plan it (404 unknown, 403 not theirs)."""
    site = find_site(slug)
    if site is None:
        abort(404)
    if not current_user.can_plan(site):
        abort(403)
    return site


def my_sites() -> list[Site]:
    """The sites the current user plans, by name: every site for an admin."""
    if current_user.role == Role.ADMIN:
        return list(db.session.scalars(sa.select(Site).order_by(Site.name)))
    return sorted(current_user.sites, key=lambda s: s.name)


def site_scope() -> list[Site] | None:
    """The sites whose shared records (partners) the current user sees: None for an admin, who sees all."""
    if current_user.role == Role.ADMIN:
        return None
    return sorted(current_user.sites, key=lambda s: s.name)


def statistics_region():
    """The region a project worker's statistics are limited to, or None (every site; admins always)."""
    if current_user.role == Role.WORKER:
        return current_user.region
    return None


def is_admin() -> bool:
    return current_user.is_authenticated and current_user.role == Role.ADMIN
