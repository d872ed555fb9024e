"""A partner on a phone: their link shows today's count change as a kiosk claims, and the outcome after closing.

The page asks for its list every 10 s (as in production), so a claim shows within about that.
"""

import re
import subprocess
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from dropin.extensions import db
from dropin.models import DayRecord, Feedback, Site, Task
from dropin.partners import service
from dropin.staff.service import TaskResult, close_day
from tests.e2e.helpers import assert_accessible
from tests.factories import make_partner

pytestmark = pytest.mark.e2e


@pytest.fixture
def partner_link(board, live_server) -> str:
    """The board's task belongs to a partner; its secret link, and a closed day earlier this year."""
    with live_server.app.app_context():
        task = db.session.get(Task, board.task_id)
        site = task.site
        partner = make_partner("Luontoyhdistys Kurki ry", sites=[site], email="kurki@example.org")
        task.partner_id = partner.id
        token = service.create_link(partner, site).token
        past = site.today() - timedelta(days=1)
        if past.year == site.today().year:
            db.session.add(DayRecord(site_id=site.id, date=past))
            closed = Task(
                site=site,
                partner_id=partner.id,
                date=past,
                start_time=task.start_time,
                end_time=task.end_time,
                title="Eilinen siivous",
                category="cleanup",
                place="Ranta",
                capacity=8,
                participants=6,
                outcome_amount=9,
                outcome_unit="säkkiä roskia",
                status="closed",
            )
            db.session.add(closed)
            for _ in range(5):
                db.session.add(Feedback(site_id=site.id, date=past, partner_id=partner.id, useful=3, decide=2))
        db.session.commit()
        db.session.remove()
    return live_server(f"/p/{token}")


def test_the_partner_sees_todays_count_change_and_then_the_outcome(board, live_server, kiosk, phone, partner_link):
    phone.goto(partner_link)
    coming = phone.get_by_test_id(f"coming-{board.task_id}")
    expect(coming).to_have_text("0 tulossa")
    phone.evaluate("window.sameDocument = true")

    # A visitor takes a place at the kiosk, through its own screens.
    kiosk.locator(".card", has_text="Roskien keruu").click()
    kiosk.get_by_role("button", name="Tule mukaan").click()
    expect(kiosk.get_by_role("heading", name="Tervetuloa mukaan!")).to_be_visible()

    expect(coming).to_have_text("1 tulossa", timeout=25_000)
    assert phone.evaluate("window.sameDocument") is True  # swapped in place, not reloaded

    # Staff close the day with 7 taking part and 15 sacks; the partner looks again.
    with live_server.app.app_context():
        task = db.session.get(Task, board.task_id)
        site = db.session.get(Site, task.site_id)
        task.outcome_unit = "säkkiä roskia"
        close_day(site, site.today(), {task.id: TaskResult(7, 15)}, 0, 0, None, None, confirm_unfinished=True)
        db.session.commit()
        db.session.remove()
    phone.reload()
    outcome = phone.get_by_test_id(f"past-{board.task_id}")
    expect(outcome).to_contain_text("Tekijöitä: 7")
    expect(outcome).to_contain_text("15 säkkiä roskia")
    expect(phone.get_by_test_id(f"coming-{board.task_id}")).to_have_count(0)


def test_the_partner_pages_pass_axe(board, live_server, phone, partner_link):
    phone.goto(partner_link)
    expect(phone.get_by_role("heading", name="Tulevat tehtävät")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="Kiitos-sivu tulostettavaksi").click()
    expect(phone.get_by_role("heading", name=re.compile("Kiitos, Luontoyhdistys Kurki ry"))).to_be_visible()
    assert_accessible(phone)
    phone.goto(live_server("/p/new-link"))
    assert_accessible(phone)
    phone.get_by_label("Sähköpostiosoite").fill("kurki@example.org")
    phone.get_by_role("button", name="Lähetä pyyntö").click()
    expect(phone.get_by_test_id("link-request-answer")).to_be_visible()
    assert_accessible(phone)
    phone.goto(live_server("/p/vanha-linkki"))
    expect(phone.get_by_role("heading", name="Linkki ei toimi")).to_be_visible()
    assert_accessible(phone)


def run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, stdin=subprocess.DEVNULL).stdout


def test_the_kiitos_page_prints_on_one_a4_page(board, live_server, page, partner_link, tmp_path):
    page.goto(partner_link + "/kiitos")
    expect(page.get_by_role("heading", name=re.compile("Kiitos"))).to_be_visible()
    pdf = tmp_path / "kiitos.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    info = run("pdfinfo", str(pdf))
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    text = " ".join(run("pdftotext", str(pdf), "-").split())
    assert "Kiitos, Luontoyhdistys Kurki ry!" in text
    assert "Takaisin" not in text  # the screen-only toolbar stays off paper
    assert "kurki@example.org" not in text
