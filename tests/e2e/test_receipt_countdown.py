"""The receipt belongs to one person: its code and QR go away after 30 s without a touch, or at "Valmis".

Playwright's clock is installed and paused before the receipt opens, so the receipt's seconds are
counted exactly by `run_for`: no sleeps, no drift on a busy machine.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import KIOSK_LANDSCAPE, assert_accessible

pytestmark = pytest.mark.e2e

BOARD_HEADING = "Tämän päivän tehtävät"
RECEIPT_HEADING = "Tervetuloa mukaan!"


def private_parts(page: Page):
    """What would let the next person at the screen take over someone's place: the code and the QR."""
    return page.locator(".receipt-code, .receipt-qr > img")


@pytest.fixture
def receipt(live_server, kiosk) -> Page:
    """The kiosk showing a fresh receipt, with the page's clock paused at its first second."""
    kiosk.clock.install()
    kiosk.clock.pause_at(kiosk.evaluate("Date.now()") + 1000)
    kiosk.get_by_role("link", name=re.compile("Roskien keruu")).click()
    kiosk.get_by_role("button", name=re.compile("Tule mukaan")).click()
    expect(kiosk.get_by_role("heading", name=RECEIPT_HEADING)).to_be_visible()
    expect(kiosk.locator(".receipt-code")).to_have_text(re.compile(r"^[A-Z0-9]{5}$"))
    return kiosk


def expect_gone_and_back_on_the_board(page: Page, board_url: str) -> None:
    expect(page).to_have_url(board_url)
    expect(page.get_by_role("heading", name=BOARD_HEADING)).to_be_visible()
    expect(private_parts(page)).to_have_count(0)


RECORD_REMOVALS = """() => new MutationObserver(list => list.forEach(m => m.removedNodes.forEach(n => {
  if (n.nodeType === 1) {
    const found = [n, ...n.querySelectorAll('*')].map(e => e.className).filter(c => typeof c === 'string' && c);
    sessionStorage.setItem('removed', (sessionStorage.getItem('removed') || '') + ' ' + found.join(' '));
  }
}))).observe(document.body, {childList: true, subtree: true})"""


def test_the_code_goes_away_after_30_seconds_without_a_touch(board, receipt):
    countdown = receipt.locator(".receipt-countdown")
    expect(countdown).to_have_text("Koodi katoaa 30 sekunnin kuluttua.")
    receipt.clock.run_for(10_000)
    expect(countdown).to_have_text("Koodi katoaa 20 sekunnin kuluttua.")
    receipt.clock.run_for(19_000)
    expect(private_parts(receipt)).to_have_count(2)  # at 29 s the visitor may still be reading
    expect(countdown).to_have_text("Koodi katoaa 1 sekunnin kuluttua.")
    receipt.evaluate(RECORD_REMOVALS)
    receipt.clock.run_for(2_000)
    expect_gone_and_back_on_the_board(receipt, board.board)
    # The receipt took its code and QR out of the page itself before it left, not only hid them.
    removed = receipt.evaluate("sessionStorage.getItem('removed') || ''").split()
    assert "receipt-code" in removed
    assert "receipt-qr" in removed


def test_more_time_gives_30_seconds_more(board, receipt):
    receipt.clock.run_for(25_000)
    more = receipt.get_by_role("button", name="Lisää aikaa")
    expect(more).to_be_visible()
    more.click()
    expect(receipt.locator(".receipt-countdown")).to_have_text("Koodi katoaa 30 sekunnin kuluttua.")
    receipt.clock.run_for(25_000)  # 50 s after the receipt opened
    expect(private_parts(receipt)).to_have_count(2)
    expect(receipt.get_by_role("heading", name=RECEIPT_HEADING)).to_be_visible()
    receipt.clock.run_for(6_000)  # 56 s
    expect_gone_and_back_on_the_board(receipt, board.board)


def test_done_takes_the_code_away_at_once(board, receipt):
    receipt.get_by_role("link", name="Valmis").click()
    expect_gone_and_back_on_the_board(receipt, board.board)


def test_back_after_done_never_shows_the_code_again(board, receipt):
    receipt.get_by_role("button", name="Kyllä, ensimmäistä kertaa").click()  # one more receipt in the history
    expect(receipt.get_by_text("Kiitos vastauksesta!")).to_be_visible()
    receipt.get_by_role("link", name="Valmis").click()
    expect(receipt).to_have_url(board.board)
    for _ in range(3):
        receipt.go_back()
        expect(receipt.locator("body")).to_be_visible()
        expect(private_parts(receipt)).to_have_count(0)


def test_back_after_the_timeout_never_shows_the_code_again(board, receipt):
    receipt.clock.run_for(31_000)
    expect(receipt).to_have_url(board.board)
    receipt.go_back()
    expect(receipt.locator("body")).to_be_visible()
    expect(private_parts(receipt)).to_have_count(0)


def test_the_countdown_and_more_time_are_on_screen_in_landscape(receipt):
    receipt.set_viewport_size(KIOSK_LANDSCAPE)
    expect(receipt.locator(".receipt-countdown")).to_be_in_viewport(ratio=1)
    expect(receipt.get_by_role("button", name="Lisää aikaa")).to_be_in_viewport(ratio=1)
    expect(receipt.get_by_role("link", name="Valmis")).to_be_in_viewport(ratio=1)


def test_the_receipt_with_its_countdown_is_accessible(receipt):
    receipt.clock.run_for(3_000)
    receipt.clock.resume()  # axe-core waits on timers of its own; 27 s are plenty for it
    assert_accessible(receipt)
