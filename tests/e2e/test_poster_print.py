"""The day's poster as staff print it: Chromium's own PDF of the page, read back with poppler.

Up to 12 tasks fit one A4 page with the QR code, and the QR on paper still scans to the board.
"""

import re
import subprocess
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from dropin.extensions import db
from tests.e2e.helpers import log_in
from tests.factories import make_site, make_task, make_user
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e

# Long-ish titles and places, as staff really type them.
TASKS = [
    ("Rantapolun roskien keruu ja lajittelu", "cleanup", "Uimarannan parkkipaikka"),
    ("Kurpitsakeiton valmistus yhteiseen lounaaseen", "cooking", "Seurakuntatalon keittiö"),
    ("Kirjaston kirjojen lajittelu ja hyllytys", "other", "Pääkirjaston lukusali"),
    ("Puiston haravointi ja lehtien kuljetus", "gardening", "Kirkkopuisto, portin luona"),
    ("Jättipalsamin kitkeminen puron varrelta", "invasive", "Myllypuron luontopolku"),
    ("Iltakahvin pullien leipominen", "baking", "Olohuoneen keittiö"),
    ("Pyörien pikahuolto ja renkaiden paikkaus", "other", "Pihan katos"),
    ("Vaatelahjoitusten lajittelu kokoluokittain", "other", "Kierrätyskeskuksen varasto"),
    ("Kasvimaan kastelu ja rikkaruohojen kitkentä", "gardening", "Yhteisöpuutarha, Satamakatu 4"),
    ("Lounaan kattaminen ja astioiden tiskaus", "cooking", "Ruokasali"),
    ("Lintulautojen rakentaminen talven varalle", "other", "Puutyöverstas, 2. kerros"),
    ("Ikkunoiden pesu ja pölyjen pyyhintä", "cleanup", "Olohuone ja eteinen"),
]


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL).stdout


@pytest.fixture
def poster(live_server, page):
    """Open tomorrow's poster of a new site with the first `count` tasks, logged in as its staff."""
    made = []

    def open_poster(count: int) -> Page:
        slug = f"satama{len(made) + 1}"
        with live_server.app.app_context():
            site = make_site(slug, name="Olohuone Satama", meal_time=time(12, 0))
            day = site.today() + timedelta(days=1)
            for n, (title, category, place) in enumerate(TASKS[:count]):
                start = time(8 + n % 10, 0)
                end = time(start.hour + 2, 30)
                make_task(site, date=day, title=title, category=category, place=place, start_time=start, end_time=end)
            make_user(f"{slug}@example.org", "staff", password=PASSWORD, sites=[site])
            db.session.commit()
            db.session.remove()
        made.append(slug)
        page.context.clear_cookies()
        log_in(page, live_server("/login"), f"{slug}@example.org", PASSWORD)
        page.goto(live_server(f"/staff/{slug}/day/{day.isoformat()}/poster"))
        expect(page.get_by_role("heading", name=re.compile("Tartu hetkeen"))).to_be_visible()
        return page

    return open_poster


def printed(page: Page, pdf) -> str:
    """Print as staff's Chromium does (A4, backgrounds on); the text of the PDF, whitespace folded."""
    page.pdf(path=str(pdf), format="A4", print_background=True)
    return " ".join(run("pdftotext", str(pdf), "-").split())


def test_twelve_tasks_and_the_qr_fit_one_a4_page(live_server, poster, tmp_path):
    page = poster(12)
    pdf = tmp_path / "poster.pdf"
    text = printed(page, pdf)

    info = run("pdfinfo", str(pdf))
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert re.search(r"Page size:\s+59[56]\.\d* x 84[12]\.\d* pts \(A4\)", info), info
    for title, _category, place in TASKS:
        assert title in text
        assert place in text
    board_url = live_server("/kiosk/satama1")
    assert board_url.removeprefix("http://") in text  # the address under the QR, for those without a camera
    assert "Tulosta" not in text  # the screen-only toolbar stays off paper

    # The QR code is on that page, whole: the printed page scans to the board, as a phone would.
    png = tmp_path / "poster"
    run("pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png))
    assert run("zbarimg", "-q", "--raw", f"{png}.png").strip() == board_url


def title_size(page: Page) -> float:
    page.emulate_media(media="print")
    return page.locator(".poster-tasks h2").first.evaluate("h => parseFloat(getComputedStyle(h).fontSize)")


def test_fewer_tasks_print_in_bigger_type(poster):
    many = title_size(poster(12))
    assert many >= 20  # 15 pt: still readable from a few steps away
    few = title_size(poster(3))
    assert few >= 1.3 * many


@pytest.mark.parametrize("count", [3, 6, 7])
def test_each_layout_at_its_fullest_still_fits_one_page(poster, tmp_path, count):
    """Each layout at its largest count still fits: three big, six roomy, and the tight one from seven."""
    pdf = tmp_path / "poster.pdf"
    text = printed(poster(count), pdf)
    assert re.search(r"^Pages:\s+1$", run("pdfinfo", str(pdf)), re.M)
    assert all(title in text for title, _category, _place in TASKS[:count])
