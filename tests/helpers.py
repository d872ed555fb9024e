"""What the tests share that is not a fixture: the test password, forms read and sent as a browser would."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every user the factories make has this password, unless a test says otherwise.
PASSWORD = "oikein-hyvä-salasana"

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page, as a browser would submit it."""
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def token_of(client, path: str) -> str:
    """The CSRF token of the form on the page at `path`, for the client's own session."""
    return csrf_token(client.get(path).get_data(as_text=True))


def login(client, email: str, password: str = PASSWORD, **request):
    """Log in through the real form, CSRF token and all; return the response (a 302 when it worked).

    `request` goes to both requests, e.g. `environ_base={"REMOTE_ADDR": ...}` for another client address.
    """
    token = csrf_token(client.get("/login", **request).get_data(as_text=True))
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password}, **request)
