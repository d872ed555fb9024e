"""The kiosk board's page weight: the HTML and every asset it loads, in KB; and what showing it again costs.

Usage: .venv/bin/python benchmarks/page_weight.py
Serves a fresh demo database with waitress and loads the board in Debian's Chromium, then shows the
board again three ways and counts the requests that reach the server each time:
  - as the kiosk does (kiosk.js: location.replace to the board, a link navigation),
  - by a link (the details page's "Takaisin"),
  - by a reload (F5: Chromium revalidates the page itself, not its files).
The last line is `FIGURES {json}` for benchmarks/table.py: board_kb and external_requests of the
first visit, repeat_visit_requests the most any of the three ways cost.
"""

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docs.screenshots import CHROMIUM_ARGS, serve_demo

SETTLED = "document.fonts.ready.then(() => Array.from(document.images).every((image) => image.complete))"


class Counted:
    """The requests the server answers: paths only (a static file's path carries its hash)."""

    def __init__(self):
        self.paths: list[str] = []

    def prepare(self):
        """serve_demo's hook: runs in the app context before the server starts."""
        from flask import current_app

        app = current_app._get_current_object()
        inner = app.wsgi_app

        def counting(environ, start_response):
            self.paths.append(environ["PATH_INFO"])
            return inner(environ, start_response)

        app.wsgi_app = counting
        # The board's own polling and reloads would add requests of their own.
        app.config.update(KIOSK_POLL_SECONDS=3600, BOARD_REFRESH_SECONDS=3600)


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate(SETTLED)


def main() -> None:
    # No options; --help explains the script (benchmarks/table.py asks it) instead of running it.
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    from playwright.sync_api import sync_playwright

    counted = Counted()
    base, enroll_token = serve_demo(counted.prepare)
    sizes: dict[str, int] = {}
    again: dict[str, list[str]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1080, "height": 1920})
        # A first visit: nothing cached. The enrollment redirect itself is not counted.
        record = lambda r: r.status == 200 and sizes.__setitem__(r.url, len(r.body()))  # noqa: E731
        page.on("response", record)
        page.goto(f"{base}/kiosk/enroll/{enroll_token}", wait_until="networkidle")
        settle(page)
        page.remove_listener("response", record)
        outside = [url for url in sizes if not url.startswith(base)]
        board = page.url

        counted.paths.clear()
        with page.expect_navigation(url=board):
            page.evaluate("setTimeout(() => window.location.replace(document.body.dataset.refreshUrl))")
        settle(page)
        again["as the kiosk does (location.replace)"] = list(counted.paths)

        page.locator(".card-open .card-link").first.click()
        settle(page)
        counted.paths.clear()
        page.locator("a.button-back").click()
        page.wait_for_url(board)
        settle(page)
        again["by a link (back from a task)"] = list(counted.paths)

        counted.paths.clear()
        page.reload()
        settle(page)
        again["by a reload"] = list(counted.paths)
        browser.close()
    kinds = defaultdict(int)
    for url, size in sizes.items():
        kind = url.split("?")[0].rsplit(".", 1)[-1] if "/static/" in url else "html"
        kinds[kind] += size
    total = sum(sizes.values())
    print(f"kiosk board: {len(sizes)} requests, {total / 1024:.1f} KB uncompressed")
    for kind, size in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:6} {size / 1024:7.1f} KB")
    print(f"  requests outside the app: {len(outside)}")
    print("the board shown again: requests that reach the server")
    for how, paths in again.items():
        print(f"  {how}: {len(paths)}  {' '.join(paths)}")
    figures = {
        "board_requests": len(sizes),
        "board_kb": total / 1024,  # unrounded: the goal's limit is judged on it
        "kb_by_kind": {kind: round(size / 1024, 1) for kind, size in kinds.items()},
        "external_requests": len(outside),
        "repeat_visit_requests": max(len(paths) for paths in again.values()),
        "repeat_visits": {how: len(paths) for how, paths in again.items()},
    }
    print("FIGURES " + json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
