"""How long a login lasts: LOGIN_MAX_SECONDS from the login at most, and LOGIN_IDLE_SECONDS
without a request. The times ride in the signed session, so a copied cookie ends with them too."""

import time

from flask import current_app, request, session

LOGGED_IN_AT = "_logged_in_at"
SEEN_AT = "_seen_at"
# Asked for by a page's own script every few seconds, not by the person: they do not count as being seen.
POLLED_ENDPOINTS = frozenset({"staff.live"})


def start() -> None:
    """A new login: both clocks start now."""
    session[LOGGED_IN_AT] = session[SEEN_AT] = int(time.time())


def _expired(now: float) -> bool:
    logged_in_at, seen_at = session.get(LOGGED_IN_AT), session.get(SEEN_AT)
    if not isinstance(logged_in_at, int) or not isinstance(seen_at, int):
        return True  # a session from before these clocks: log in again
    config = current_app.config
    return now - logged_in_at > config["LOGIN_MAX_SECONDS"] or now - seen_at > config["LOGIN_IDLE_SECONDS"]


def end_stale_login() -> None:
    """Before every request: a login past either limit ends (the language stays); others are seen now."""
    if "_user_id" not in session:
        return
    now = time.time()
    if _expired(now):
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        return
    if int(now) != session[SEEN_AT] and request.endpoint not in POLLED_ENDPOINTS:
        session[SEEN_AT] = int(now)
