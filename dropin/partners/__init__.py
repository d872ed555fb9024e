"""Partner organisations: their records (staff only), their secret proposal links and the public proposal form."""

from flask import Blueprint

bp = Blueprint("partners", __name__)

from dropin.partners import partner_routes, public_routes
