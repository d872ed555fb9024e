from flask import Blueprint

bp = Blueprint("claims", __name__)

from dropin.claims import routes
