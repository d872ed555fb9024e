"""Participation figures for project workers and funders, anonymous by design."""

from flask import Blueprint

bp = Blueprint("stats", __name__, url_prefix="/stats")

from dropin.stats import formatting, routes, staleness

staleness.listen()

bp.add_app_template_filter(formatting.display, "stat")
bp.add_app_template_global(formatting.small_text, "small_text")
bp.add_app_template_global(formatting.threshold, "small_threshold")
