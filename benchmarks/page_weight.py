"""The kiosk board's page weight: the HTML and every asset it loads, in KB.

Usage: .venv/bin/python benchmarks/page_weight.py
Serves a fresh demo database with waitress and loads the board in Debian's Chromium.
"""

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docs.screenshots import CHROMIUM_ARGS, serve_demo


def main() -> None:
    from playwright.sync_api import sync_playwright

    base, enroll_token = serve_demo()
    sizes: dict[str, int] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1080, "height": 1920})
        # A first visit: nothing cached. The enrollment redirect itself is not counted.
        page.on("response", lambda r: r.status == 200 and sizes.__setitem__(r.url, len(r.body())))
        page.goto(f"{base}/kiosk/enroll/{enroll_token}", wait_until="networkidle")
        outside = [url for url in sizes if not url.startswith(base)]
        browser.close()
    kinds = defaultdict(int)
    for url, size in sizes.items():
        kind = url.rsplit(".", 1)[-1] if "/static/" in url else "html"
        kinds[kind] += size
    total = sum(sizes.values())
    print(f"kiosk board: {len(sizes)} requests, {total / 1024:.1f} KB uncompressed")
    for kind, size in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:6} {size / 1024:7.1f} KB")
    print(f"  requests outside the app: {len(outside)}")


if __name__ == "__main__":
    main()
