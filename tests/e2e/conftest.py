"""Debian's Chromium against the app served by waitress on a free port, on a SQLite copy."""

import threading
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from waitress.server import create_server

from docs.screenshots import CHROMIUM_ARGS
from dropin.extensions import db
from tests.e2e.helpers import KIOSK_PORTRAIT, PHONE
from tests.factories import make_kiosk, make_site, make_task

# Waiting is for elements, never a sleep; on a busy two-core CI machine a page can take more than 5 s.
expect.set_options(timeout=15_000)


@pytest.fixture(params=["sqlite"])
def db_kind(request) -> str:
    # A browser test checks pages, not the database: SQLite keeps it quick.
    return request.param


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # pytest-playwright's own browser lookup fails here; Debian's Chromium works.
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": KIOSK_PORTRAIT, "locale": "fi-FI", "timezone_id": "Europe/Helsinki"}


@dataclass
class LiveServer:
    app: object
    url: str

    def __call__(self, path: str) -> str:
        return self.url + path


@pytest.fixture
def live_server(app):
    server = create_server(app, host="127.0.0.1", port=0, ident="")
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{server.effective_port}")
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(timeout=5)


@dataclass(frozen=True)
class Board:
    """A site with one open task of three places, and a kiosk to enroll."""

    board: str
    details: str
    enroll: str
    task_id: int


@pytest.fixture
def board(live_server) -> Board:
    with live_server.app.app_context():
        site = make_site("satama", name="Olohuone Satama")
        task = make_task(site, title="Roskien keruu", place="Rantapolku", capacity=3)
        enrollment = make_kiosk(site)
        db.session.commit()
        task_id, token = task.id, enrollment.enroll_token
        db.session.remove()
    return Board(
        board=live_server("/kiosk/satama"),
        details=live_server(f"/kiosk/satama/tasks/{task_id}"),
        enroll=live_server(f"/kiosk/enroll/{token}"),
        task_id=task_id,
    )


@pytest.fixture
def kiosk(board, page):
    """The kiosk's browser, enrolled and showing the board."""
    page.goto(board.enroll)
    page.wait_for_url(board.board)
    return page


@pytest.fixture
def phone(browser, browser_context_args):
    """A phone (a visitor's or a staff member's): a browser of its own, nothing shared with the kiosk."""
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE, "has_touch": True, "is_mobile": True})
    yield context.new_page()
    context.close()
