"""A staff member's day on a 390x844 phone, with the kiosk running beside it."""

import re
import subprocess
import time as clock
from datetime import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from dropin.extensions import db
from dropin.models import DayRecord, Task
from tests.e2e.helpers import KIOSK_PORTRAIT, log_in
from tests.factories import make_kiosk, make_partner, make_site, make_template, make_user, running_window
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def desk(live_server):
    with live_server.app.app_context():
        site = make_site("satama", name="Olohuone Satama", meal_time=time(12, 0))
        start, end = running_window(site)
        partner = make_partner("Luontoyhdistys Kurki ry")
        make_template(
            site,
            title="Roskien keruu",
            category="cleanup",
            place="Ranta",
            start_time=start,
            end_time=end,
            capacity=5,
            partner=partner,
            outcome_unit="säkkiä",
        )
        make_template(
            site,
            title="Pullan leivonta",
            category="baking",
            place="Keittiö",
            start_time=start,
            end_time=end,
            capacity=3,
            outcome_unit=None,
        )
        make_user("staff@example.org", "staff", password=PASSWORD, sites=[site])
        enroll = make_kiosk(site).enroll_token
        db.session.commit()
        db.session.remove()
    return {"enroll": live_server(f"/kiosk/enroll/{enroll}"), "start": start, "end": end}


@pytest.fixture
def kiosk_page(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, "viewport": KIOSK_PORTRAIT})
    yield context.new_page()
    context.close()


@pytest.mark.slow
def test_a_staff_day_on_a_phone(live_server, desk, phone, kiosk_page):
    page = phone
    started = clock.monotonic()
    log_in(page, live_server("/login"), "staff@example.org", PASSWORD)
    # Posting the day from templates: one tap after logging in.
    page.get_by_role("button", name=re.compile("Lisää päivän tehtävät pohjista")).click()
    expect(page.get_by_text("Pohjista lisätty tehtäviä: 2.")).to_be_visible()
    posting_seconds = clock.monotonic() - started
    print(f"\nposting a day from templates: 4 taps and typing, {posting_seconds:.1f} s")

    page.get_by_role("link", name="Lisää kertaluonteinen tehtävä").click()
    page.get_by_label("Otsikko", exact=True).fill("Lehtien haravointi")
    page.get_by_label("Luokka").select_option("gardening")
    page.get_by_label("Paikkoja").fill("4")
    page.get_by_label("Alkaa").fill(desk["start"].strftime("%H:%M"))
    page.get_by_label("Päättyy").fill(desk["end"].strftime("%H:%M"))
    page.get_by_label("Paikka tai tapaamispaikka").fill("Puisto")
    page.get_by_role("button", name="Tallenna").click()
    expect(page.get_by_text("Tehtävä lisätty.")).to_be_visible()
    row = page.locator(".staff-task", has_text="Lehtien haravointi")
    expect(row.locator('[data-field="active"]')).to_have_text("0")

    # A visitor takes a place on the kiosk; the staff page shows it without a reload.
    kiosk_page.goto(desk["enroll"])
    kiosk_page.get_by_role("link", name=re.compile("Lehtien haravointi")).click()
    kiosk_page.get_by_role("button", name=re.compile("Tule mukaan")).click()
    expect(kiosk_page.locator(".receipt-code")).to_be_visible()
    expect(row.locator('[data-field="active"]')).to_have_text("1", timeout=15_000)
    expect(row.locator('[data-field="free"]')).to_have_text("3")

    # Cancel the baking: the kiosk shows the reason.
    page.locator(".staff-task", has_text="Pullan leivonta").get_by_role("link", name="Peru").click()
    page.get_by_label(re.compile("Syy")).fill("Uuni on rikki.")
    page.get_by_role("button", name="Peru tehtävä").click()
    expect(page.get_by_text(re.compile("Tehtävä peruttu"))).to_be_visible()
    kiosk_page.goto(live_server("/kiosk/satama"))
    expect(kiosk_page.get_by_text("Uuni on rikki.")).to_be_visible()

    # A walk-in at the desk.
    row.get_by_role("button", name="Ota paikka kävijälle").click()
    expect(page.get_by_role("heading", name="Paikka otettu kävijälle")).to_be_visible()
    code = page.locator(".walk-in-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}", code)
    page.get_by_role("link", name="Takaisin päivään").click()
    expect(row.locator('[data-field="walk_ins"]')).to_have_text("1")

    # Close the day.
    page.get_by_role("link", name="Sulje päivä").click()
    haravointi = page.locator("fieldset", has_text="Lehtien haravointi")
    expect(haravointi.get_by_label("Osallistui")).to_have_value("2")
    haravointi.get_by_label("Osallistui").fill("3")  # one more came along and left early
    roskat = page.locator("fieldset", has_text="Roskien keruu")
    roskat.get_by_label(re.compile("Tulos")).fill("4,5".replace(",", "."))
    page.get_by_label("Aterioita osallistujille").fill("3")
    page.get_by_label("Aterioita muille").fill("2")
    page.get_by_label("Suljen päivän silti, vaikka tehtäviä on kesken").check()  # the tasks run to the evening
    page.get_by_role("button", name="Sulje päivä").click()
    expect(page.get_by_text("Päivä suljettu. Kiitos!")).to_be_visible()

    with live_server.app.app_context():
        record = db.session.scalar(sa.select(DayRecord))
        tasks = {t.title: t for t in db.session.scalars(sa.select(Task))}
        assert (record.meals_participants, record.meals_others) == (3, 2)
        assert tasks["Lehtien haravointi"].participants == 3
        assert tasks["Roskien keruu"].participants == 0
        assert tasks["Roskien keruu"].outcome_amount == 4.5
        assert tasks["Pullan leivonta"].status == "cancelled"
        assert tasks["Pullan leivonta"].participants is None
        db.session.remove()


def test_poster_prints_on_one_a4_page(live_server, desk, phone, tmp_path):
    page = phone
    log_in(page, live_server("/login"), "staff@example.org", PASSWORD)
    page.get_by_role("button", name=re.compile("Lisää päivän tehtävät pohjista")).click()
    page.get_by_role("link", name="Tulosta päivän juliste").click()
    expect(page.get_by_role("heading", name=re.compile("Tartu hetkeen"))).to_be_visible()
    pdf = tmp_path / "poster.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    if __import__("os").environ.get("DROPIN_KEEP_POSTER"):
        __import__("shutil").copy(pdf, __import__("os").environ["DROPIN_KEEP_POSTER"])
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert re.search(r"Page size:\s+59[45]\.\d* x 841\.\d* pts \(A4\)", info), info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Roskien keruu" in text
    assert "Pullan leivonta" in text
    assert "Ruoka on klo 12.00" in text
    assert "Tulosta" not in text  # the screen-only toolbar stays off paper
