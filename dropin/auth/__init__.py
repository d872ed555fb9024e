from flask import Blueprint

bp = Blueprint("auth", __name__)

from dropin.auth import routes
