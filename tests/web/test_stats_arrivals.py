"""'Arrived of claimed' on /stats, in the funder report and in both exports, with its footnote."""

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from dropin.extensions import db
from dropin.models import Claim, Site, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimStatus
from tests.factories import make_user
from tests.helpers import login
from tests.stats_data import known_data
from tests.web.test_stats import _figure

MARCH = "from=2026-03-01&to=2026-03-31"
NOTE = "Paikalle tulleet lasketaan vain tehtävistä, joihin henkilökunta merkitsi ainakin yhden saapumisen"
LABELS = (
    "Varaukset tehtävissä, joihin merkittiin saapumisia",
    "joista kävijä tuli paikalle",
    "Paikalle tulleiden osuus",
)


def _arrive(slug: str, day: date, n: int) -> None:
    claims = db.session.scalars(
        sa.select(Claim)
        .join(Task, Task.id == Claim.task_id)
        .join(Site, Site.id == Task.site_id)
        .where(Site.slug == slug, Task.date == day, Claim.status == ClaimStatus.ACTIVE)
        .order_by(Claim.id)
        .limit(n)
    ).all()
    for claim in claims:
        claim.arrived_at = utcnow()


@pytest.fixture
def worker(app, client):
    """The known data with 2 of T5's 7 and 1 of T4's 3 arrived: 3 of 10, a small count."""
    with app.app_context():
        known_data()
        _arrive("muu", date(2026, 3, 2), 2)
        _arrive("satama", date(2026, 3, 10), 1)
        make_user("worker@example.org", "worker")
        db.session.commit()
    login(client, "worker@example.org")
    return client


def test_the_page_shows_the_figure_suppressed_with_its_footnote(worker):
    html = worker.get(f"/stats?{MARCH}").get_data(as_text=True)
    assert _figure(html, "checked_claims") == ("10", "0")
    assert _figure(html, "arrived") == ("<5", "0")
    assert _figure(html, "arrival_rate") == ("..", "–")
    assert NOTE in html


def test_the_report_has_the_figure_and_the_footnote(worker):
    html = worker.get(f"/stats/report?{MARCH}").get_data(as_text=True)
    assert 'data-figure="arrived"' in html
    assert NOTE in html


def test_the_csv_rows_line_up_and_say_the_same(worker):
    rows = list(
        csv.reader(io.StringIO(worker.get(f"/stats/export.csv?{MARCH}").data.decode("utf-8-sig")), delimiter=";")
    )
    header = next(r for r in rows if r[:2] == ["Ryhmä", "Luku"])
    by_label = {(r[0], r[1]): r for r in rows if len(r) >= 2}
    for label in LABELS:
        assert len(by_label[("Osallistuminen", label)]) == len(header), label
    assert by_label[("Osallistuminen", LABELS[0])][2:] == ["", "10", "0", "10"]
    assert by_label[("Osallistuminen", LABELS[1])][2:] == ["", "<5", "0", ".."]
    assert by_label[("Osallistuminen", LABELS[2])][2:] == ["%", "..", "", ".."]
    assert any(len(r) == 2 and r[1].startswith(NOTE) for r in rows)


def test_the_xlsx_rows_line_up_and_say_the_same(worker):
    book = load_workbook(io.BytesIO(worker.get(f"/stats/export.xlsx?{MARCH}").data))
    rows = list(book["Tunnusluvut"].iter_rows(values_only=True))
    width = len(rows[0])
    figures = {(r[0], r[1]): r for r in rows[1:]}
    for label in LABELS:
        assert len(figures[("Osallistuminen", label)]) == width
    assert figures[("Osallistuminen", LABELS[0])][2:] == (None, 10, 0, 10)
    assert figures[("Osallistuminen", LABELS[1])][2:] == (None, "<5", 0, "..")
    info = [r for r in book["Tiedot"].iter_rows(values_only=True) if r[1]]
    assert any(str(r[1]).startswith(NOTE) for r in info)
