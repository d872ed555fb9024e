"""The front page and a health check."""

import sqlalchemy as sa
from flask import Blueprint, render_template

from dropin.extensions import db
from dropin.models import Site

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    sites = db.session.scalars(sa.select(Site).order_by(Site.name)).all()
    return render_template("index.html", sites=sites)


@bp.get("/healthz")
def health():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
