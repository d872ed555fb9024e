"""The funder report as a PDF made on the server (WeasyPrint), read back with poppler's tools.

Access and bad parameters are checked with every other stats page in test_stats.py (PAGES).
"""

import re
import subprocess
from html import unescape

import pytest

from dropin.stats.pdf import NotFetched, StaticOnly
from tests.web.test_stats import MARCH, worker, world  # noqa: F401  (fixtures)

PDF = f"/stats/report.pdf?{MARCH}"


def poppler(tool: str, pdf: bytes, tmp_path, *args: str) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL).stdout


# Making the PDF takes seconds; the same known data gives the same report, so each test process
# makes it once per database and the tests below read that one.
_REPORTS = {}


@pytest.fixture
def report(worker, db_kind):  # noqa: F811
    if db_kind not in _REPORTS:
        response = worker.get(PDF)
        assert response.status_code == 200
        _REPORTS[db_kind] = response
    return _REPORTS[db_kind]


def test_the_pdf_is_one_a4_file_to_download(report, tmp_path):
    assert report.mimetype == "application/pdf"
    assert report.data.startswith(b"%PDF-")
    assert report.headers["Content-Disposition"] == 'attachment; filename="dropin-raportti-2026-03-01-2026-03-31.pdf"'
    assert report.headers["Cache-Control"] == "no-store"
    info = poppler("pdfinfo", report.data, tmp_path)
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info, re.M), info
    pages = int(re.search(r"^Pages:\s+(\d+)$", info, re.M)[1])
    assert 2 <= pages <= 8, pages


def test_the_pdf_holds_the_headings_and_the_figures(report, tmp_path):
    text = " ".join(poppler("pdftotext", report.data, tmp_path).split())
    for heading in (
        "Tartu hetkeen – osallistumisraportti",
        "1. Osallisuus omassa elämässä",
        "2. Osallisuus vaikuttamisen prosesseissa",
        "3. Osallisuus yhteisestä hyvästä",
        "Tunnusluvut",
        "Miten luvut lasketaan",
    ):
        assert heading in text, heading
    assert "1.3.2026– 31.3.2026" in text.replace("–31", "– 31")
    # 16 participations in March, 4 in the comparison period: shown as "<5" like on the page.
    assert "Osallistumiskerrat 16 (vertailujakso <5)" in text
    assert "vertailujakso 4)" not in text
    assert "Tulosta" not in text  # the screen's buttons stay off paper


def test_the_pdf_hides_what_the_page_hides(worker, report, tmp_path):  # noqa: F811
    page = unescape(re.sub(r"<[^>]+>", " ", worker.get(f"/stats/report?{MARCH}").get_data(as_text=True)))
    text = " ".join(poppler("pdftotext", report.data, tmp_path).split())
    assert text.count("<5") >= " ".join(page.split()).count("<5") > 0
    assert text.count("..") >= 1


def test_the_charts_stay_vector_graphics(worker, report, tmp_path):  # noqa: F811
    images = poppler("pdfimages", report.data, tmp_path, "-list").splitlines()
    assert len(images) == 2, images  # the header lines only: no raster image anywhere
    # The charts' labels and axis numbers are text in the PDF, as drawn, not pixels.
    page = worker.get(f"/stats/report?{MARCH}").get_data(as_text=True)
    svgs = re.findall(r'<svg class="chart".*?</svg>', page, re.S)
    assert len(svgs) == 2
    # pdftotext leaves out the rotated week labels; the level ones (legend, axis, partners) it reads.
    labels = {unescape(t).strip() for svg in svgs for t in re.findall(r"<text(?![^>]*rotate)[^>]*>([^<]+)</text>", svg)}
    assert len(labels) > 5
    text = " ".join(poppler("pdftotext", report.data, tmp_path).split())
    assert [label for label in labels if label not in text] == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/font.woff2",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "http://dropin.invalid/static/../../pyproject.toml",
        "http://dropin.invalid/static/%2e%2e/%2e%2e/pyproject.toml",
        "http://dropin.invalid/stats/report",
    ],
)
def test_weasyprint_fetches_nothing_but_our_static_files(app, url):
    fetcher = StaticOnly(app)
    with pytest.raises(NotFetched):
        fetcher.fetch(url)


def test_weasyprint_gets_our_own_static_files(app):
    response = StaticOnly(app).fetch("http://dropin.invalid/static/css/stats.css")
    assert response.content_type == "text/css"
    assert b"funder report" in response.read()
