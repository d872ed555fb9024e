"""'Kerro miten meni': three one-tap questions on the kiosk, stored anonymously."""

from flask import Blueprint

bp = Blueprint("feedback", __name__, url_prefix="/kiosk")

from dropin.feedback import routes
