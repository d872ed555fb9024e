"""Screenshots of the running app for the README and docs/: `make screenshots`.

Serves a fresh demo database with waitress on a free port and drives Debian's Chromium.
"""

import contextlib
import os
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
# Debian's Chromium, kept off the network: the screenshots, the e2e tests and the page-weight benchmark use these.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080), "phone": (390, 844), "desktop": (1366, 768)}
# The partner's secret link made by partner_demo(), for the partner's page shots.
PARTNER_LINK = {}


def serve_demo(prepare=None):
    """The demo on a free port: its base URL and a kiosk enrollment token. `prepare()` runs in the app
    context after the demo day is seeded, to show the demo in another state."""
    os.environ["DROPIN_INSTANCE"] = tempfile.mkdtemp(prefix="dropin-shots-")
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade
    from waitress.server import create_server

    from dropin import create_app
    from dropin.demo.today import seed_demo
    from dropin.extensions import db
    from dropin.kiosks import enroll_kiosk
    from dropin.sites import find_site

    app = create_app()
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        seed_demo()
        if prepare:
            prepare()
        enrollment = enroll_kiosk(find_site("satama"), "Kuvakaappaus")
        db.session.commit()
    server = create_server(app, host="127.0.0.1", port=0, ident="")
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}", enrollment.enroll_token


def main(only: set[str]) -> None:
    from playwright.sync_api import sync_playwright

    base, enroll_token = serve_demo()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        kiosk = browser.new_context(viewport=dict(zip(("width", "height"), SIZES["portrait"])))
        page = kiosk.new_page()
        page.goto(f"{base}/kiosk/enroll/{enroll_token}")

        def shot(name: str, size: str, full_page: bool = False) -> None:
            if only and name not in only:
                return
            width, height = SIZES[size]
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
            print(f"docs/screenshots/{name}.png")

        shot("kiosk-board-portrait", "portrait")
        shot("kiosk-board-landscape", "landscape")
        page.goto(f"{base}/kiosk/satama?lang=sv")
        shot("kiosk-board-sv-portrait", "portrait")
        page.goto(f"{base}/kiosk/satama?lang=fi")
        page.set_viewport_size({"width": 1080, "height": 1920})
        page.locator(".card-open .card-link").first.click()
        shot("kiosk-details-portrait", "portrait")
        page.get_by_role("button", name="Tule mukaan").click()
        page.wait_for_selector(".receipt-code")
        shot("kiosk-receipt-portrait", "portrait")
        page.set_viewport_size({"width": 1920, "height": 1080})
        shot("kiosk-receipt-landscape", "landscape")
        receipt_code = page.locator(".receipt-code").inner_text().strip()

        phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        mobile = phone.new_page()
        token = phone_token(page)
        mobile.goto(f"{base}/c/{token}")
        page = mobile
        shot("phone-claim", "phone", full_page=True)
        mobile.get_by_role("link", name="Peru osallistuminen").click()
        shot("phone-release", "phone")

        staff = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2).new_page()
        staff.goto(f"{base}/login")
        staff.get_by_label("Sähköposti").fill("staff@example.org")
        staff.get_by_label("Salasana").fill("demo-salasana")
        staff.get_by_role("button", name="Kirjaudu").click()
        page = staff
        shot("staff-day-phone", "phone")
        day_url = staff.url
        # The receipt's code typed at the desk, as staff would (lower case), and the visitor marked arrived.
        staff.get_by_label("Kävijän koodi").fill(receipt_code.lower())
        staff.get_by_role("button", name="Hae koodi").click()
        staff.get_by_role("button", name="Saapui", exact=True).click()
        staff.wait_for_selector(".desk-arrived")
        shot("staff-claim-code-fi", "phone")
        staff.goto(day_url.rstrip("/") + "/tasks/new" if day_url.endswith("/") else day_url + "/tasks/new")
        shot("staff-new-task-phone", "phone")
        staff.goto(day_url)
        staff.get_by_role("link", name="Sulje päivä").click()
        shot("staff-close-day-phone", "phone")
        # The warning while tasks still run: the demo's run 9-20, so in the evening there is none to show.
        if staff.locator("#close-early").count():
            shot("staff-close-early-fi", "phone")
        else:
            print("staff-close-early-fi: every demo task has ended, no warning to show", file=sys.stderr)
        staff.goto(day_url)
        staff.get_by_role("link", name="Tulosta päivän juliste").click()
        staff.emulate_media(media="print")
        if not only or "poster-fi" in only:
            pdf = Path(tempfile.mkdtemp()) / "poster.pdf"
            staff.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
            import subprocess

            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(OUT / "poster-fi")], check=True
            )
            print("docs/screenshots/poster-fi.png")
        # The region's public listing, as anyone finds it on a phone and on a laptop.
        page = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2).new_page()
        page.goto(f"{base}/r/alue")
        shot("region-fi", "phone")
        page = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
        page.goto(f"{base}/r/alue")
        shot("region-desktop", "desktop")
        if not only or "kiosk-closed-fi" in only:
            closed_base, closed_token = serve_demo(close_demo_day)
            page = browser.new_context(viewport=dict(zip(("width", "height"), SIZES["portrait"]))).new_page()
            page.goto(f"{closed_base}/kiosk/enroll/{closed_token}")
            shot("kiosk-closed-fi", "portrait")
        if not only or {"partner-fi", "partner-kiitos"} & only:
            partner_base, _token = serve_demo(partner_demo)
            page = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2).new_page()
            page.goto(f"{partner_base}/p/{PARTNER_LINK['token']}")
            page.wait_for_selector("[data-partner-live] .partner-task")
            shot("partner-fi", "phone")
            page.goto(f"{partner_base}/p/{PARTNER_LINK['token']}/kiitos")
            if not only or "partner-kiitos" in only:
                # As the partner prints it: Chromium's own A4 PDF, as a picture.
                import subprocess

                pdf = Path(tempfile.mkdtemp()) / "kiitos.pdf"
                page.pdf(path=str(pdf), format="A4", print_background=True)
                subprocess.run(
                    ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(OUT / "partner-kiitos")], check=True
                )
                print("docs/screenshots/partner-kiitos.png")
        browser.close()


def partner_demo() -> None:
    """A year of history, a place or two taken today and a link for the demo's nature partner."""
    from dropin.claims.refusals import ClaimRefused
    from dropin.claims.service import claim_place
    from dropin.demo.history import seed_history
    from dropin.partners.service import create_link
    from dropin.sites import day_tasks, find_site

    seed_history(1, 1)
    site = find_site("satama")
    tasks = [task for task in day_tasks(site, site.today()) if task.partner is not None]
    partner = tasks[0].partner if tasks else None
    for task in tasks:
        if task.partner == partner:
            with contextlib.suppress(ClaimRefused):  # a task that has ended takes nobody
                claim_place(task)
    PARTNER_LINK["token"] = create_link(partner, site).token


def close_demo_day() -> None:
    """Staff have closed today's demo day; the next demo tasks are posted for the day after tomorrow."""
    from datetime import timedelta

    from dropin.demo.today import seed_demo
    from dropin.extensions import db
    from dropin.models import DayRecord
    from dropin.models.task import TaskStatus
    from dropin.sites import day_tasks, find_site

    site = find_site("satama")
    db.session.add(DayRecord(site_id=site.id, date=site.today()))
    for task in day_tasks(site, site.today()):
        if task.status == TaskStatus.OPEN:
            task.status = TaskStatus.CLOSED
    seed_demo(site.today() + timedelta(days=2))


def phone_token(page) -> str:
    """The phone link's token, read from the QR code as a phone would (zbarimg)."""
    import subprocess

    png = Path(tempfile.mkdtemp()) / "qr.png"
    page.locator(".receipt-qr > img").screenshot(path=str(png))
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=True)
    url = decoded.stdout.strip()
    return url.rsplit("/c/", 1)[1]


if __name__ == "__main__":
    main(set(sys.argv[1:]))
