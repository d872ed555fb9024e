"""A project worker in Debian's Chromium: last quarter, one partner, both downloads and the PDF report."""

import io
import re
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from dropin.demo.history import seed_history
from dropin.demo.today import DEMO_PASSWORD
from dropin.extensions import db
from dropin.stats import tables, totals
from dropin.stats.formatting import display
from dropin.stats.query import StatsQuery, presets
from tests.e2e.helpers import DESKTOP, PHONE, assert_accessible, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PARTNER = "Yhteiskeittiö Pata"
DIMENSIONS = (
    "1. Osallisuus omassa elämässä",
    "2. Osallisuus vaikuttamisen prosesseissa",
    "3. Osallisuus yhteisestä hyvästä",
)


def _last_quarter(app) -> tuple[date, date]:
    today = datetime.now(ZoneInfo(app.config["DROPIN_TIMEZONE"])).date()
    quarter = next(p for p in presets(today) if p.key == "last-quarter")
    return quarter.start, quarter.end


@pytest.fixture
def history(live_server):
    """A year of history up to the end of last quarter, and the figures the worker should see."""
    app = live_server.app
    start, end = _last_quarter(app)
    with app.app_context():
        seed_history(1, 1, seed=5, until=end)
        db.session.commit()
        sites, partners = totals.choices()
        partner = next(p for p in partners.values() if p.name == PARTNER)
        with app.test_request_context():
            q = StatsQuery(start, end, partner=partner)
            view = tables.build(q, totals.collect(q), partners)
            figures = {k: (row.current, display(row.current)) for k, row in view.figures.items()}
        db.session.remove()
    return {"start": start, "end": end, "partner_id": partner.id, "figures": figures}


@pytest.fixture
def worker_page(browser, browser_context_args, live_server, history):
    """Logged in as the demo project worker (seed-history loads the demo users)."""
    context = browser.new_context(**{**browser_context_args, "viewport": DESKTOP, "accept_downloads": True})
    page = context.new_page()
    log_in(page, live_server("/login"), "worker@example.org", DEMO_PASSWORD)
    page.wait_for_url(re.compile(r"/stats$"))
    yield page
    context.close()


def test_a_worker_reports_last_quarter_for_one_partner(worker_page, history, tmp_path):
    page = worker_page
    page.get_by_role("link", name="Edellinen neljännes").click()
    page.wait_for_url(re.compile(rf"from={history['start'].isoformat()}&to={history['end'].isoformat()}"))
    page.get_by_text("Oma aikaväli ja rajaukset").click()
    page.get_by_label("Kumppani").select_option(label=PARTNER)
    page.get_by_role("button", name="Näytä luvut").click()
    page.wait_for_url(re.compile(rf"partner={history['partner_id']}"))

    figures = history["figures"]
    claims, claims_text = figures["claims"]
    assert claims.value
    assert claims.value >= 5
    expect(page.locator(".stats-scope")).to_contain_text(PARTNER)
    expect(page.locator('[data-figure="claims"] .headline-value')).to_have_text(claims_text)
    expect(page.locator('[data-figure="participations"] .headline-value')).to_have_text(figures["participations"][1])
    expect(page.locator("#chart-partner")).to_be_visible()
    expect(page.locator('[data-figure="meals_total"]')).to_have_count(0)  # meals cannot follow a partner

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Lataa CSV").click()
    body = Path(csv_download.value.path()).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert f"Kumppani;{PARTNER}" in text
    assert f"Osallistuminen;Varaukset yhteensä;;{claims.value};" in text

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Lataa Excel (.xlsx)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    rows = {(r[0], r[1]): r[3] for r in book["Tunnusluvut"].iter_rows(min_row=2, values_only=True)}
    assert rows[("Osallistuminen", "Varaukset yhteensä")] == claims.value

    page.get_by_role("link", name="Raportti rahoittajalle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tartu hetkeen – osallistumisraportti")
    pdf = tmp_path / "raportti.pdf"
    page.pdf(path=str(pdf), format="A4")
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in DIMENSIONS:
        assert heading in pdf_text
    assert PARTNER in pdf_text
    assert "Kirjaudu ulos" not in pdf_text  # the menu is not printed
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+|Page size:\s+595\.\d+ x 842\.\d+", info)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_stats_page_and_report_are_accessible(worker_page, history, viewport):
    worker_page.set_viewport_size(viewport)
    worker_page.goto(worker_page.url + "?" + f"from={history['start']}&to={history['end']}")
    worker_page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_accessible(worker_page)
    worker_page.get_by_role("link", name="Raportti rahoittajalle").click()
    expect(worker_page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(worker_page)
