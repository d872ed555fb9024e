"""The SVG charts: well-formed, accessible, CSP-safe, and never drawing a hidden count."""

import re
import xml.etree.ElementTree as ET

import pytest

from dropin.stats.charts import Series, _nice_max, bar_chart, column_chart
from dropin.stats.suppression import COUNT, Cell

SVG = "{http://www.w3.org/2000/svg}"
HIDDEN = Cell(None, COUNT, hidden=True, small=True)
WITHHELD = Cell(None, COUNT, hidden=True)  # hidden to protect another count


def _charts():
    labels = ["maanantai", "tiistai", "<script>alert(1)</script>"]
    series = [Series("Paikkoja", [Cell(30), Cell(12), Cell(0)]), Series("Osallistumisia", [Cell(21), HIDDEN, WITHHELD])]
    return [
        column_chart("c1", "Otsikko", "Kuvaus.", labels, series),
        bar_chart("c2", "Otsikko", "Kuvaus.", labels, series),
    ]


@pytest.mark.parametrize("chart", _charts())
def test_charts_are_well_formed_accessible_svg(chart):
    root = ET.fromstring(str(chart))
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title.text == "Otsikko"
    assert desc.text.startswith("Kuvaus.")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "Osallistumisia: maanantai 21." in desc.text  # the largest value, said in words


@pytest.mark.parametrize("chart", _charts())
def test_charts_use_no_inline_style_script_or_handlers(chart):
    text = str(chart)
    assert "<style" not in text
    assert "style=" not in text
    assert "<script" not in text
    assert not re.search(r"\son\w+=", text)
    assert "&lt;script&gt;" in text  # labels are escaped, not markup


@pytest.mark.parametrize("chart", _charts())
def test_a_hidden_count_is_written_as_small_and_never_drawn(chart):
    root = ET.fromstring(str(chart))
    bar_titles = [t.text for t in root.iter(SVG + "title") if t.text and ":" in t.text and t.text != "Otsikko"]
    assert not any(t.startswith("tiistai, Osallistumisia") for t in bar_titles)
    texts = [t.text for t in root.iter(SVG + "text")]
    assert "<5" in texts
    assert ".." in texts


def test_zero_draws_no_bar():
    chart = str(column_chart("c", "T", "D", ["a"], [Series("S", [Cell(0)])]))
    assert chart.count("<rect") == 1  # the legend's swatch only


@pytest.mark.parametrize(
    ("value", "top", "step"), [(0, 4, 1), (3, 3, 1), (7, 8, 2), (23, 25, 5), (180, 200, 50), (1234, 1500, 500)]
)
def test_axes_end_at_round_numbers(value, top, step):
    assert _nice_max(value) == (top, step)
