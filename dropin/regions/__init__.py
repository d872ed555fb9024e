"""One public listing for a region: its page (and embeddable variant) and open-data feeds."""

from flask import Blueprint

bp = Blueprint("regions", __name__, url_prefix="/r")

from dropin.regions import routes
