"""The planner's calendar: which days a staff URL may name, and what staff are told when a day is closed."""

from datetime import date

from flask import abort, flash
from flask_babel import gettext as _

from dropin.models import Site

# Wide enough for any real plan, narrow enough for date arithmetic.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def day_or_404(raw: str | None, site: Site) -> date:
    """The day a URL names (YYYY-MM-DD), or the site's today when it names none; 404 for anything else."""
    if raw is None:
        return site.today()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        abort(404)
    if not FIRST_DAY <= day <= LAST_DAY:
        abort(404)
    return day


def flash_day_closed() -> None:
    flash(
        _(
            "Päivä on jo suljettu. Tämän päivän voi avata uudelleen päivän sivulta. "
            "Aiempia päiviä voi muuttaa vain ylläpitäjä."
        ),
        "error",
    )
