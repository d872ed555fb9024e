"""A kiosk that shows its board again asks the server for the page alone: every static file it
uses (stylesheet, scripts, fonts, icons) is kept by the browser under its content's hash."""

import pytest

pytestmark = pytest.mark.e2e

SETTLED = "document.fonts.ready.then(() => Array.from(document.images).every((image) => image.complete))"


@pytest.fixture
def served(live_server) -> list[str]:
    """Every request that reaches the server, in order."""
    seen: list[str] = []
    app = live_server.app
    # Nothing but the navigation under test: no polling of the task list, no reload of its own.
    app.config.update(KIOSK_POLL_SECONDS=3600, BOARD_REFRESH_SECONDS=3600)
    inner = app.wsgi_app

    def counting(environ, start_response):
        query = environ.get("QUERY_STRING")
        seen.append(environ["PATH_INFO"] + (f"?{query}" if query else ""))
        return inner(environ, start_response)

    app.wsgi_app = counting
    return seen


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    assert page.evaluate(SETTLED)


def test_the_board_shown_again_costs_one_request(served, board, kiosk):
    settle(kiosk)
    first = [url for url in served if url.startswith("/static/")]
    assert any(url.startswith("/static/fonts/") for url in first)
    assert any(url.startswith("/static/css/") for url in first)
    served.clear()
    # As kiosk.js returns to the board (a link navigation: location.replace, not a hard reload).
    with kiosk.expect_navigation(url=board.board):
        kiosk.evaluate("setTimeout(() => window.location.replace(document.body.dataset.refreshUrl))")
    settle(kiosk)
    assert served == ["/kiosk/satama"]


def test_back_from_a_tasks_details_costs_one_request(served, board, kiosk):
    kiosk.get_by_role("link", name="Roskien keruu").click()
    kiosk.wait_for_url(board.details)
    settle(kiosk)
    served.clear()
    kiosk.get_by_role("link", name="Takaisin").click()
    kiosk.wait_for_url(board.board)
    settle(kiosk)
    assert served == ["/kiosk/satama"]
