"""The statistics as files: CSV for Finnish Excel and XLSX. Both render the same StatsView as
the page, so small-cell protection is identical: "<5" and ".." mean the same everywhere.
"""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from dropin.forms import without_control_characters
from dropin.stats.formatting import WITHHELD, hidden_text, small_text, threshold
from dropin.stats.suppression import AMOUNT, CHANGE, COUNT, PERCENT, POINTS, Cell
from dropin.stats.tables import FigureGroup, StatsView, Table

# Finnish Excel reads ';' separated UTF-8 when the file starts with a byte order mark.
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIGURE_COLUMNS = (_l("Ryhmä"), _l("Luku"), _l("Yksikkö"), _l("Tämä jakso"), _l("Vertailujakso"), _l("Muutos"))
SHEET_NAMES = {
    "month": _l("Kuukausittain"),
    "week": _l("Viikoittain"),
    "weekday": _l("Viikonpäivittäin"),
    "partner": _l("Kumppaneittain"),
    "category": _l("Tehtäväluokittain"),
    "site": _l("Kohtaamispaikoittain"),
    "outcome_totals": _l("Tulokset yhteensä"),
    "outcomes": _l("Tulokset kumppaneittain"),
}


def _text(value) -> str:
    """Text from the database as text, never as a formula (CSV and spreadsheet injection), without the
    control characters a name may hold from before the input rule (they break the XLSX file)."""
    text = without_control_characters(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _clean_row(row) -> list:
    return [without_control_characters(v) if isinstance(v, str) else v for v in row]


def _csv_number(cell: Cell) -> str:
    if cell.hidden:
        return hidden_text(cell)
    if cell.value is None:
        return ""
    if not isinstance(cell.value, (int, float)):
        return _text(cell.value)
    if cell.kind in (PERCENT, POINTS) or (cell.kind in (AMOUNT, CHANGE) and cell.value != int(cell.value)):
        return f"{cell.value:.1f}".replace(".", ",")
    return str(int(cell.value))


def _unit(cell: Cell) -> str:
    return "%" if cell.kind == PERCENT else ""


def _figure_rows(groups: list[FigureGroup]):
    for group in groups:
        for row in group.rows:
            yield str(group.title), str(row.label), row


def _header(view: StatsView) -> list[list[str]]:
    rows = [[str(_l("dropin – osallistumistilastot"))]]
    rows += [[str(label), value] for label, value in view.description()]
    rows.append(
        [
            str(_l("Pienet luvut")),
            str(
                _l(
                    "Alle %(n)s hengen luvut näytetään muodossa %(small)s. Merkintä "
                    "%(withheld)s on luku, joka on piilotettu, jotta pientä lukua ei "
                    "voisi laskea muista luvuista.",
                    n=threshold(),
                    small=small_text(),
                    withheld=WITHHELD,
                )
            ),
        ]
    )
    rows.append([str(_l("Paikalle tulleet")), str(view.arrivals_note)])
    now = datetime.now(ZoneInfo(current_app.config["DROPIN_TIMEZONE"]))
    rows.append([str(_l("Luotu")), now.strftime("%Y-%m-%d %H:%M")])
    return rows


def _tables(view: StatsView) -> list[Table]:
    return [*view.breakdowns.values(), view.outcome_totals, view.outcomes]


class _CleanWriter:
    """A csv writer that drops control characters from every cell, titles and headers included."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, row) -> None:
        self.writer.writerow(_clean_row(row))

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def to_csv(view: StatsView) -> bytes:
    """Blocks separated by an empty line: the header, the key figures, feedback, then every table."""
    out = io.StringIO()
    writer = _CleanWriter(csv.writer(out, delimiter=";", lineterminator="\r\n"))
    writer.writerows([[_text(v) for v in row] for row in _header(view)])
    for title, groups in ((_l("Tunnusluvut"), view.groups), (_l("Palaute"), view.feedback)):
        writer.writerows([[], [str(title)], [str(c) for c in FIGURE_COLUMNS]])
        for group, label, row in _figure_rows(groups):
            writer.writerow(
                [
                    _text(group),
                    _text(label),
                    _unit(row.current),
                    _csv_number(row.current),
                    _csv_number(row.previous),
                    _csv_number(row.change),
                ]
            )
    for table in _tables(view):
        writer.writerows([[], [str(table.title)], [str(table.label_header), *(str(c) for c in table.columns)]])
        for row in [*table.rows, *([table.total] if table.total else [])]:
            writer.writerow([_text(row.label), *(_csv_number(c) for c in row.cells)])
    return (BOM + out.getvalue()).encode("utf-8")


def _xlsx_value(cell: Cell):
    if cell.hidden:
        return hidden_text(cell)
    if cell.value is None or not isinstance(cell.value, (int, float)):
        return cell.value
    if cell.kind == PERCENT:
        return round(cell.value / 100, 4)
    return round(cell.value, 1) if cell.kind in (AMOUNT, POINTS) else cell.value


NUMBER_FORMATS = {PERCENT: "0.0 %", POINTS: "+0.0;-0.0;0", CHANGE: "+0;-0;0", AMOUNT: "0.0", COUNT: "0"}


def _put(sheet, row: int, column: int, value, kind: str | None = None, bold: bool = False) -> None:
    if isinstance(value, str):
        value = without_control_characters(value)  # openpyxl refuses them (IllegalCharacterError)
    target = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        target.data_type = "s"  # openpyxl would take "=..." for a formula
    elif kind in NUMBER_FORMATS and value is not None:
        target.number_format = NUMBER_FORMATS[kind]
    if bold:
        from openpyxl.styles import Font

        target.font = Font(bold=True)


def _write_rows(sheet, rows: list[list], start: int = 1, bold_first: bool = True) -> None:
    for r, row in enumerate(rows, start=start):
        for c, value in enumerate(row, start=1):
            cell = value if isinstance(value, Cell) else None
            _put(
                sheet,
                r,
                c,
                _xlsx_value(cell) if cell else (str(value) if value is not None else None),
                cell.kind if cell else None,
                bold=bold_first and r == start,
            )


def to_xlsx(view: StatsView) -> bytes:
    """One sheet for the header, the key figures, feedback and each table; numbers stay numbers."""
    from openpyxl import Workbook  # imported on first export: it weighs megabytes in every server process

    book = Workbook()
    info = book.active
    info.title = str(_l("Tiedot"))
    _write_rows(info, _header(view))
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 22, 60
    for title, groups in ((_l("Tunnusluvut"), view.groups), (_l("Palaute"), view.feedback)):
        sheet = book.create_sheet(str(title))
        _write_rows(
            sheet,
            [
                list(FIGURE_COLUMNS),
                *(
                    [group, label, _unit(row.current) or None, row.current, row.previous, row.change]
                    for group, label, row in _figure_rows(groups)
                ),
            ],
        )
        for letter, width in zip("ABCDEF", (30, 36, 9, 14, 16, 12)):
            sheet.column_dimensions[letter].width = width
    for table in _tables(view):
        sheet = book.create_sheet(str(SHEET_NAMES[table.key]))
        rows = [[table.label_header, *table.columns], *([row.label, *row.cells] for row in table.rows)]
        if table.total:
            rows.append([table.total.label, *table.total.cells])
        _write_rows(sheet, rows)
        sheet.column_dimensions["A"].width = 34
        for letter in "BCDEF":
            sheet.column_dimensions[letter].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
