"""The front page and a health check."""

import sqlalchemy as sa
from flask import Blueprint, render_template

from dropin.errors import RETRY_AFTER_SECONDS
from dropin.extensions import db
from dropin.health import OK, database_state
from dropin.models import Site

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    sites = db.session.scalars(sa.select(Site).order_by(Site.name)).all()
    return render_template("index.html", sites=sites)


@bp.get("/healthz")
def health():
    """For monitors and the kiosk kit's watchdog: 200 when the database takes writes, 503 when not."""
    state = database_state()
    if state == OK:
        return {"status": OK, "database": OK}
    return {"status": "unavailable", "database": state}, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
