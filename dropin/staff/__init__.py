from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from dropin.staff import close_routes, day_routes, routes  # noqa: E402,F401
