"""Bar charts as inline SVG, drawn on the server.

Why a small module of our own instead of a charting library:
- no dependency and nothing loaded from outside: the page works offline on a closed LAN and
  without JavaScript;
- the Content-Security-Policy forbids inline styles and scripts ('unsafe-inline'), so the SVG
  uses presentation attributes only (fill, font-size, text-anchor): no <style>, no style=,
  no <script>, no event handlers. Those are not styles in the CSP's sense, and they survive
  printing and PDF export exactly;
- accessibility: each chart is role="img" with a <title> and a <desc> (what it shows and
  its largest value), and the page puts the same figures in a real <table> next to it;
- suppression: a hidden count is never drawn as a bar of any height. It is written as "<5"
  (or ".." when hidden to protect another count) at the baseline, so the chart gives away no
  more than the table.
"""

import math
from dataclasses import dataclass
from operator import attrgetter

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from dropin.stats.formatting import WITHHELD, small_text
from dropin.stats.suppression import Cell
from dropin.stats.tables import MEASURES

FONT = "Atkinson Hyperlegible, DejaVu Sans, sans-serif"
INK, INK_SOFT, GRID = "#1d2b36", "#45525c", "#d9d3c7"
# Places, claims, participations: apart in lightness as well as hue (readable in greyscale
# print), each at least 3:1 against white.
COLOURS = ("#8a7d6b", "#2f6f9f", "#1f5c39")


@dataclass(frozen=True)
class Series:
    label: str
    values: list[Cell]
    colour: str = COLOURS[0]


def _nice_max(value: float) -> tuple[float, float]:
    """An axis maximum and a tick step that are round numbers (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 4, 1
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * magnitude
            if value / step <= 5:
                return step * math.ceil(value / step), step
        magnitude *= 10


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="{FONT}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _legend(series: list[Series], x: float, y: float) -> list[str]:
    parts = []
    for s in series:
        colour = s.colour
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 11}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{x + 20:.1f}" y="{y + 1}" font-size="14" fill="{INK}">{escape(s.label)}</text>'
        )
        x += 34 + 8 * len(s.label)
    return parts


def _peak(labels: list[str], series: Series) -> str:
    shown = [(c.value, label) for c, label in zip(series.values, labels) if not c.hidden and c.value]
    if not shown:
        return ""
    value, label = max(shown, key=lambda v: v[0])
    return f" {series.label}: {label} {_number(value)}."


def column_chart(
    chart_id: str, title: str, desc: str, labels: list[str], series: list[Series], small: str = "<5"
) -> Markup:
    """Vertical grouped columns, one group per label: for trends over time."""
    width, height, left, right, top, bottom = 720, 330, 52, 10, 40, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [c.value for s in series for c in s.values if not c.hidden and c.value]
    axis_max, step = _nice_max(max(values, default=0))
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / len(series)
    body = _legend(series, left, 18)
    tick = 0.0
    while tick <= axis_max:
        y = top + plot_h - plot_h * tick / axis_max
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="13" text-anchor="end" fill="{INK_SOFT}">'
            f"{_number(tick)}</text>"
        )
        tick += step
    every = max(1, -(-len(labels) // 14))  # at most 14 labels under the axis
    for i, label in enumerate(labels):
        x0 = left + i * group_w + group_w * 0.1
        for j, s in enumerate(series):
            cell, x, colour = s.values[i], x0 + j * bar_w, s.colour
            if cell.hidden:
                body.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h - 4}" font-size="11" '
                    f'text-anchor="middle" fill="{INK}">{escape(small if cell.small else WITHHELD)}</text>'
                )
            elif cell.value:
                h = plot_h * cell.value / axis_max
                body.append(
                    f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{max(bar_w - 1, 1):.1f}" '
                    f'height="{h:.1f}" fill="{colour}"><title>{escape(label)}, {escape(s.label)}: '
                    f"{_number(cell.value)}</title></rect>"
                )
        if i % every == 0:
            cx, cy = left + (i + 0.5) * group_w, top + plot_h + 14
            body.append(
                f'<text x="{cx:.1f}" y="{cy}" font-size="13" text-anchor="end" fill="{INK}" '
                f'transform="rotate(-35 {cx:.1f} {cy})">{escape(label)}</text>'
            )
    body.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{INK}"/>')
    return _svg(chart_id, title, desc + _peak(labels, series[-1]), width, height, body)


def bar_chart(
    chart_id: str, title: str, desc: str, labels: list[str], series: list[Series], small: str = "<5"
) -> Markup:
    """Horizontal grouped bars with the row's name above them: for partners and categories.
    Names above the bars, not beside them, keep the chart readable on a phone."""
    width, left, right, bar_h = 640, 8, 70, 16
    group_h = 24 + bar_h * len(series) + 10
    height = 40 + group_h * max(len(labels), 1)
    values = [c.value for s in series for c in s.values if not c.hidden and c.value]
    axis_max = max(values, default=1)
    plot_w = width - left - right
    body = _legend(series, left, 18)
    for i, label in enumerate(labels):
        y = 40 + i * group_h
        body.append(
            f'<text x="{left}" y="{y + 16}" font-size="15" font-weight="700" fill="{INK}">{escape(label)}</text>'
        )
        for j, s in enumerate(series):
            cell, by, colour = s.values[i], y + 24 + j * bar_h, s.colour
            if cell.hidden:
                text, w = small if cell.small else WITHHELD, 0
            else:
                text, w = _number(cell.value or 0), plot_w * (cell.value or 0) / axis_max
            if w:
                body.append(
                    f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar_h - 3}" fill="{colour}">'
                    f"<title>{escape(label)}, {escape(s.label)}: {escape(text)}</title></rect>"
                )
            body.append(
                f'<text x="{left + w + 5:.1f}" y="{by + bar_h - 5}" font-size="13" fill="{INK}">{escape(text)}</text>'
            )
    return _svg(chart_id, title, desc + _peak(labels, series[-1]), width, height, body)


def _series(table, many: bool = False) -> list[Series]:
    """A breakdown's people and places as series; the columns are tasks, places, claims, participations."""
    index = {key: i for i, (key, _label) in enumerate(MEASURES)}
    keys = ("participations",) if many else ("places", "claims", "participations")
    colours = COLOURS[2:] if many else COLOURS
    return [
        Series(str(dict(MEASURES)[key]), [row.cells[index[key]] for row in table.rows], colour)
        for key, colour in zip(keys, colours)
    ]


def _trend(view, chart_id: str) -> Markup:
    weekly = len(view.breakdowns["week"].rows) <= 16
    table = view.breakdowns["week" if weekly else "month"]
    many = len(table.rows) > 24
    title = (
        _l("Osallistumiset, varaukset ja paikat viikoittain")
        if weekly
        else _l("Osallistumiset kuukausittain")
        if many
        else _l("Osallistumiset, varaukset ja paikat kuukausittain")
    )
    return column_chart(
        chart_id,
        str(title),
        str(_l("Pylväskaavio. Samat luvut ovat taulukossa kaavion alla.")),
        [row.axis_label for row in table.rows],
        _series(table, many),
        small_text(),
    )


def page_charts(view) -> dict[str, Markup]:
    """The charts of the statistics page, keyed by the section they illustrate."""
    desc = str(_l("Pylväskaavio. Samat luvut ovat taulukossa kaavion alla."))
    return {
        "trend": _trend(view, "chart-trend"),
        **{
            key: chart(
                f"chart-{key}",
                str(title),
                desc,
                [label(row) for row in view.breakdowns[key].rows],
                _series(view.breakdowns[key]),
                small_text(),
            )
            for key, chart, title, label in (
                (
                    "weekday",
                    column_chart,
                    _l("Osallistumiset, varaukset ja paikat viikonpäivittäin"),
                    attrgetter("axis_label"),
                ),
                ("partner", bar_chart, _l("Osallistumiset, varaukset ja paikat kumppaneittain"), attrgetter("label")),
                (
                    "category",
                    bar_chart,
                    _l("Osallistumiset, varaukset ja paikat tehtäväluokittain"),
                    attrgetter("label"),
                ),
            )
        },
    }


def report_charts(view) -> dict[str, Markup]:
    """The printed report shows the trend and the partners; the tables carry the rest."""
    charts = page_charts(view)
    return {"trend": charts["trend"], "partner": charts["partner"]}
