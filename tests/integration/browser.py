"""A small HTTP client for tests against a real server: cookies, CSRF tokens and a chosen source
address (any 127.x.y.z on Linux), so each instance is a different client on the network."""

import http.client
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from tests.helpers import PASSWORD, csrf_token


class Browser:
    def __init__(self, base: str, source: str = "127.0.0.1", headers: dict | None = None):
        url = urlsplit(base)
        self.host, self.port, self.source = url.hostname, url.port, source
        self.cookies: dict[str, str] = {}
        self.headers = headers or {}

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        """Send one request on a new connection; returns (response, text). Cookies are kept."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=(self.source, 0))
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=sent)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, text

    def login_form(self) -> str:
        """GET the login page (a session and its CSRF token); returns the token."""
        return csrf_token(self.request("GET", "/login")[1])

    def post_login(self, token: str, email: str, password: str = PASSWORD, headers: dict | None = None):
        form = {"csrf_token": token, "email": email, "password": password}
        return self.request("POST", "/login", form, headers)[0]

    def login(self, email: str, password: str = PASSWORD, headers: dict | None = None):
        return self.post_login(self.login_form(), email, password, headers)
