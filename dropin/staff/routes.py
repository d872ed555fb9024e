"""The staff home: which site to plan."""

import sqlalchemy as sa
from flask import redirect, render_template, url_for
from flask_login import current_user

from dropin.auth.access import roles_required
from dropin.extensions import db
from dropin.models import Site
from dropin.models.user import ROLE_ADMIN, ROLE_STAFF
from dropin.staff import bp


def my_sites() -> list[Site]:
    if current_user.role == ROLE_ADMIN:
        return list(db.session.scalars(sa.select(Site).order_by(Site.name)))
    return sorted(current_user.sites, key=lambda s: s.name)


@bp.get("/")
@roles_required(ROLE_STAFF, ROLE_ADMIN)
def index():
    sites = my_sites()
    if len(sites) == 1:
        return redirect(url_for(".day", site=sites[0].slug))
    return render_template("staff/index.html", sites=sites)
