from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")

from dropin.kiosk import routes
