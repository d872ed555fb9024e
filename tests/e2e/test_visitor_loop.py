"""A visitor's whole loop in Chromium: board, details, join, receipt and QR code, phone, release."""

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import KIOSK_LANDSCAPE, KIOSK_PORTRAIT, fill_task

pytestmark = pytest.mark.e2e

BOARD_HEADING = "Tämän päivän tehtävät"
RECEIPT_HEADING = "Tervetuloa mukaan!"


def task_card(page: Page):
    return page.get_by_role("link", name=re.compile("Roskien keruu"))


def join_button(page: Page, name: str = "Tule mukaan"):
    return page.get_by_role("button", name=re.compile(name))


def open_details_and_join(page: Page) -> None:
    task_card(page).click()
    join_button(page).click()
    expect(page.get_by_role("heading", name=RECEIPT_HEADING)).to_be_visible()


def read_qr(page: Page, tmp_path) -> str:
    """What a phone camera reads from the receipt's QR code."""
    image = page.get_by_role("img", name=re.compile("QR-koodi"))
    expect(image).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    shot = tmp_path / "qr.png"
    image.screenshot(path=str(shot))
    assert page.locator(".receipt-qr > img").count() == 1
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(shot)], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=30
    )
    assert decoded.returncode == 0, decoded.stderr
    return decoded.stdout.strip()


@pytest.mark.slow
@pytest.mark.parametrize("viewport", [KIOSK_PORTRAIT, KIOSK_LANDSCAPE], ids=["portrait", "landscape"])
def test_visitor_joins_at_the_kiosk_and_cancels_on_the_phone(board, live_server, kiosk, phone, viewport, tmp_path):
    kiosk.set_viewport_size(viewport)
    expect(kiosk.get_by_role("heading", name=BOARD_HEADING)).to_be_visible()
    expect(task_card(kiosk)).to_contain_text("3/3 paikkaa vapaana")

    task_card(kiosk).click()
    expect(kiosk.get_by_role("heading", name="Roskien keruu")).to_be_visible()
    join_button(kiosk).click()

    expect(kiosk.get_by_role("heading", name=RECEIPT_HEADING)).to_be_visible()
    code = kiosk.locator(".receipt-code")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{5}$"))
    code_text = code.inner_text()
    expect(kiosk.get_by_text("Rantapolku")).to_be_visible()

    phone_url = read_qr(kiosk, tmp_path)
    assert phone_url.startswith(live_server("/c/")), phone_url
    token = phone_url.rsplit("/c/", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", token), token

    kiosk.get_by_role("link", name="Valmis").click()
    expect(kiosk).to_have_url(board.board)
    expect(task_card(kiosk)).to_contain_text("2/3 paikkaa vapaana")
    expect(kiosk.get_by_text(code_text)).to_have_count(0)

    phone.goto(phone_url)
    expect(phone.get_by_text("Olet mukana")).to_be_visible()
    expect(phone.get_by_text(code_text)).to_be_visible()
    phone.get_by_role("link", name="Peru osallistuminen").click()
    expect(phone.get_by_role("heading", name="Perutaanko osallistuminen?")).to_be_visible()
    phone.get_by_role("button", name="Kyllä, peru osallistuminen").click()
    expect(phone.get_by_text("Osallistuminen on peruttu")).to_be_visible()
    expect(phone.get_by_role("link", name="Peru osallistuminen")).to_have_count(0)

    kiosk.reload()
    expect(task_card(kiosk)).to_contain_text("3/3 paikkaa vapaana")


def test_tap_on_empty_receipt_area_returns_to_the_board(board, kiosk):
    open_details_and_join(kiosk)
    receipt = kiosk.get_by_role("region", name=RECEIPT_HEADING)
    # The receipt's padding, a corner with nothing to press.
    receipt.click(position={"x": 6, "y": 6})
    expect(kiosk).to_have_url(board.board)
    expect(kiosk.get_by_role("heading", name=BOARD_HEADING)).to_be_visible()


def test_tapping_the_first_time_question_stays_on_the_receipt(board, kiosk):
    open_details_and_join(kiosk)
    kiosk.get_by_role("button", name="Kyllä, ensimmäistä kertaa").click()
    expect(kiosk.get_by_text("Kiitos vastauksesta!")).to_be_visible()
    expect(kiosk.get_by_role("heading", name=RECEIPT_HEADING)).to_be_visible()


def test_full_task_cannot_be_joined(board, live_server, kiosk):
    fill_task(live_server.app, board.task_id)
    kiosk.reload()
    expect(task_card(kiosk)).to_contain_text("Täynnä")
    task_card(kiosk).click()
    expect(kiosk.get_by_text("Tämä tehtävä on täynnä.")).to_be_visible()
    expect(join_button(kiosk)).to_have_count(0)


def test_browser_that_is_not_enrolled_can_only_look(board, page):
    page.goto(board.board)
    expect(page.get_by_text(re.compile("kysy henkilökunnalta", re.IGNORECASE))).to_be_visible()
    task_card(page).click()
    expect(page.get_by_role("heading", name="Roskien keruu")).to_be_visible()
    expect(page.get_by_text("Kysy henkilökunnalta", exact=True)).to_be_visible()
    expect(join_button(page)).to_have_count(0)
    expect(page.get_by_role("button")).to_have_count(0)


@pytest.mark.parametrize(("language", "lang", "join"), [("svenska", "sv", "Kom med"), ("English", "en", "Join")])
def test_visitor_switches_language(board, kiosk, language, lang, join):
    task_card(kiosk).click()
    expect(join_button(kiosk)).to_be_visible()
    kiosk.get_by_role("link", name=language).click()
    expect(kiosk.locator("html")).to_have_attribute("lang", lang)
    expect(join_button(kiosk, join)).to_be_visible()
    join_button(kiosk, join).click()
    expect(kiosk.locator(".receipt-code")).to_be_visible()
    expect(kiosk.locator("html")).to_have_attribute("lang", lang)
