"""Figures on the partner's pages as people read them: "alle 5" for a small count, Finnish decimals."""

from flask_babel import gettext as _

from dropin.stats.formatting import WITHHELD, format_decimal, threshold
from dropin.stats.suppression import Cell


def people(cell: Cell) -> str:
    """A protected count of people: its value, "alle 5" when small, ".." when hidden to protect another."""
    if cell.hidden:
        return _("alle %(n)s", n=threshold()) if cell.small else WITHHELD
    if cell.value is None:
        return "–"
    return format_decimal(cell.value, "#,##0")


def amount(value: float | None) -> str:
    """An outcome amount: 12, 12,5 (never about people, never hidden)."""
    return "–" if value is None else format_decimal(value, "#,##0.#")
