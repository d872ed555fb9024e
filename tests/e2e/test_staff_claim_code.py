"""The receipt's code at the desk, on a 390x844 phone: a visitor takes a place on the kiosk, staff type its code."""

import re

import pytest
from playwright.sync_api import expect

from dropin.extensions import db
from dropin.models import Claim, Task
from dropin.models.claim import ClaimStatus
from tests.e2e.helpers import assert_accessible, log_in
from tests.factories import make_user
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def staff(board, live_server):
    with live_server.app.app_context():
        site = db.session.get(Task, board.task_id).site
        make_user("staff@example.org", "staff", password=PASSWORD, sites=[site])
        db.session.commit()
        db.session.remove()


def _places(kiosk):
    return kiosk.locator(".card", has_text="Roskien keruu").locator(".card-places")


def test_staff_find_the_kiosk_code_mark_arrived_and_release(live_server, board, kiosk, staff, phone, tmp_path):
    # A visitor takes a place on the kiosk and gets a code on the receipt.
    kiosk.get_by_role("link", name=re.compile("Roskien keruu")).click()
    kiosk.get_by_role("button", name=re.compile("Tule mukaan")).click()
    code = kiosk.locator(".receipt-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}", code)
    kiosk.goto(board.board)
    expect(_places(kiosk)).to_have_text("2/3 paikkaa vapaana")

    # Staff on a phone type the code in lower case in the day page's field.
    page = phone
    log_in(page, live_server("/login"), "staff@example.org", PASSWORD)
    field = page.get_by_label("Kävijän koodi")
    expect(field).to_have_attribute("inputmode", "text")
    expect(field).to_have_attribute("autocapitalize", "characters")
    field.fill(code.lower())
    page.get_by_role("button", name="Hae koodi").click()
    expect(page).to_have_url(live_server(f"/staff/satama/claims/{code}"))
    expect(page.get_by_role("heading", name="Roskien keruu")).to_be_visible()
    expect(page.get_by_text("Paikka voimassa")).to_be_visible()
    assert_accessible(page)

    # Arrived: the page shows the time.
    page.get_by_role("button", name="Saapui", exact=True).click()
    expect(page.get_by_text("Merkitty saapuneeksi.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Saapui klo \d\d\.\d\d"))).to_be_visible()
    page.screenshot(path=str(tmp_path / "staff-claim-code-fi.png"))
    assert_accessible(page)

    # Released for the visitor: the status changes and the kiosk's board has the place free again.
    page.get_by_role("button", name="Vapauta paikka kävijän puolesta").click()
    expect(page.get_by_text("Paikka vapautettu. Joku muu voi nyt ottaa sen.")).to_be_visible()
    expect(page.locator(".desk-claim .tag")).to_have_text(re.compile(r"Paikka vapautettu klo \d\d\.\d\d"))
    expect(page.get_by_role("button", name="Vapauta paikka kävijän puolesta")).to_have_count(0)
    kiosk.goto(board.board)
    expect(_places(kiosk)).to_have_text("3/3 paikkaa vapaana")
    with live_server.app.app_context():
        claim = db.session.scalar(db.select(Claim).where(Claim.code == code))
        assert claim.status == ClaimStatus.RELEASED
        assert claim.arrived_at is not None
        db.session.remove()

    # An unknown code: a kind 404 page with the field again, and nothing for axe to find.
    response = page.goto(live_server("/staff/satama/claims/QQQQQ"))
    assert response.status == 404
    expect(page.get_by_role("heading", name="Koodia ei löytynyt.")).to_be_visible()
    expect(page.get_by_label("Kävijän koodi")).to_be_visible()
    assert_accessible(page)
