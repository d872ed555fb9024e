"""What the browser tests share that is not a fixture: the screens they run on, axe-core, logging in."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models import Task

KIOSK_PORTRAIT = {"width": 1080, "height": 1920}
KIOSK_LANDSCAPE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

AXE = Axe()


def assert_accessible(page: Page) -> None:
    """axe-core finds nothing on the page as it is now; its report is the failure message."""
    result = AXE.run(page)
    assert result.violations_count == 0, result.generate_report()


def fill_task(app, task_id: int) -> None:
    """Take every place of the task, as other visitors would, behind the browser's back."""
    with app.app_context():
        task = db.session.get(Task, task_id)
        for _ in range(task.capacity):
            claim_place(task)
        db.session.commit()
        db.session.remove()


def log_in(page: Page, login_url: str, email: str, password: str) -> None:
    """Fill in the login form and press the button, as a person would."""
    page.goto(login_url)
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu").click()
