"""Cells as text for people: Finnish (or the request's language) number formats, "<5" for hidden."""

import functools

from babel import Locale
from babel.numbers import parse_pattern
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from dropin.stats.suppression import CHANGE, PERCENT, POINTS, Cell


def threshold() -> int:
    return int(current_app.config["STATS_SMALL_CELL"])


# What Statistics Finland prints for data withheld for confidentiality.
WITHHELD = ".."


def small_text() -> str:
    return f"<{threshold()}"


def hidden_text(cell: Cell) -> str:
    """ "<5" for a small count; ".." for a cell hidden so that a small count cannot be worked out."""
    return small_text() if cell.small else WITHHELD


@functools.lru_cache(maxsize=16)
def _pattern(pattern: str, locale: str):
    # A page has hundreds of cells: parse each number pattern and locale once, not per cell.
    return parse_pattern(pattern), Locale.parse(locale)


def format_decimal(value: float, pattern: str) -> str:
    parsed, locale = _pattern(pattern, str(get_locale()))
    return parsed.apply(value, locale)


def display(cell: Cell) -> str:
    """A cell as people read it in the request's language: 1 234, 63,2 %, +3, <5, –."""
    if cell.hidden:
        return hidden_text(cell)
    if cell.value is None:
        return "–"
    if not isinstance(cell.value, (int, float)):
        return str(cell.value)
    if cell.kind == PERCENT:
        return format_decimal(cell.value, "#,##0.0") + "\u00a0%"
    if cell.kind in (CHANGE, POINTS):
        if round(cell.value, 1) == 0:
            return "±0"
        number = format_decimal(abs(cell.value), "#,##0.0" if cell.kind == POINTS else "#,##0.#")
        sign = "+" if cell.value > 0 else "\u2212"
        return f"{sign}{number}" + ("\u00a0" + str(_l("%-yks.")) if cell.kind == POINTS else "")
    return format_decimal(cell.value, "#,##0.#")
