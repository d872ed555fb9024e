"""The funder report as one A4 PDF, drawn on the server by WeasyPrint.

Why WeasyPrint: a well-kept library on PyPI (BSD) that needs only Pango, already on Debian;
no headless browser to run beside the app. It lays out CSS for paper (@page A4, page
breaks), so the report's own template and print stylesheet make the PDF, and it keeps the
report's inline SVG charts as vector paths.

Nothing is fetched from the network: StaticOnly hands WeasyPrint the app's own static files
(CSS, fonts, SVG) from disk and refuses every other URL, so a task title or partner name
can never make the server reach out anywhere.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import Flask
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative URLs in the page (/static/...) resolve against this host, which is never asked.
BASE_URL = "http://dropin.invalid/"


class NotFetched(ValueError):
    """A URL outside the app's static files: WeasyPrint leaves that resource out."""


class StaticOnly(URLFetcher):
    """A WeasyPrint URL fetcher that serves the app's static folder and nothing else."""

    def __init__(self, app: Flask):
        super().__init__(allowed_protocols=())
        self.folder = Path(app.static_folder).resolve()
        self.prefix = app.static_url_path.rstrip("/") + "/"

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.netloc != urlsplit(BASE_URL).netloc:
            raise NotFetched(f"not fetched: {url}")
        path = unquote(parts.path)
        if not path.startswith(self.prefix):
            raise NotFetched(f"not a static file: {url}")
        file = (self.folder / path.removeprefix(self.prefix)).resolve()
        if not file.is_relative_to(self.folder) or not file.is_file():
            raise NotFetched(f"no such static file: {url}")
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, file.read_bytes(), {"Content-Type": mime})


def html_to_pdf(html: str, app: Flask) -> bytes:
    """The page as WeasyPrint prints it (print media, the page's own @page rules)."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnly(app)).write_pdf()
