"""Template helpers shared by every feature."""

from datetime import time, timedelta

from flask import Flask, request, url_for
from flask_babel import format_date, get_locale

from dropin import static_files
from dropin.categories import CATEGORIES, category
from dropin.claims.refusals import VISITOR_ICONS, VISITOR_NOTICES, Availability
from dropin.icons import icon_img, pictogram_img
from dropin.models.claim import ClaimSource, ClaimStatus
from dropin.models.proposal import ProposalStatus
from dropin.models.task import TaskStatus
from dropin.models.task_content import MIDNIGHT, Demand, Setting
from dropin.models.user import Role

# The vocabulary templates compare against: enum members, never bare strings.
VOCABULARY = {
    enum.__name__: enum
    for enum in (Availability, ClaimSource, ClaimStatus, Demand, ProposalStatus, Role, Setting, TaskStatus)
}


def _english() -> bool:
    locale = get_locale()  # compared by its language: str() of a Locale costs more than a card's text
    return locale is not None and locale.language == "en"


def clock(value: time | None) -> str:
    """10.00 in Finnish and Swedish, 10:00 in English."""
    if value is None:
        return ""
    separator = ":" if _english() else "."
    return f"{value.hour:02d}{separator}{value.minute:02d}"


def end_clock(value: time | None) -> str:
    """An end time: 00.00 is midnight, the end of the day, shown as 24.00 (klo 22–24)."""
    if value == MIDNIGHT:
        return "24:00" if _english() else "24.00"
    return clock(value)


def language_url(code: str) -> str:
    """This page in another language: the same view, URL values and query, with `lang=code`.
    A page that only a POST shows (a form's result) has no address to reload: the front page."""
    rule = request.url_rule
    if rule is None or "GET" not in (rule.methods or ()):
        return url_for("main.index", lang=code)
    return url_for(request.endpoint, **{**request.args.to_dict(), **(request.view_args or {}), "lang": code})


def init_app(app: Flask) -> None:
    static_files.init_app(app)  # url_for('static', ...) names a file by its content's hash
    app.add_template_filter(clock)
    app.add_template_filter(end_clock)
    app.add_template_global(format_date)
    app.add_template_global(timedelta)
    app.add_template_global(language_url)
    app.add_template_global(icon_img)
    app.add_template_global(pictogram_img)
    app.jinja_env.globals.update(VOCABULARY, visitor_notices=VISITOR_NOTICES, visitor_icons=VISITOR_ICONS)

    @app.context_processor
    def helpers():
        return {
            "categories": CATEGORIES,
            "category": category,
            "locale": str(get_locale()),
            "languages": (("fi", "suomi"), ("sv", "svenska"), ("en", "English")),
        }
