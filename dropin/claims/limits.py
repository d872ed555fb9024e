"""How fast one kiosk may take places: a few a minute, shared by its touchscreen and its API token.

A person joins a task in a few taps and a minute's reading; a browser or a script that takes every
place of a task in a second is not a visitor. The limit is kept per kiosk (its id, never anything
of the visitor), in a window of a minute at most, so the next real visitor waits only a moment.
"""

from collections.abc import Callable

from flask import current_app

from dropin.extensions import limiter
from dropin.models import Kiosk

# One counter for both ways a kiosk takes places: the limit cannot be doubled by switching.
SCOPE = "kiosk-claims"


def _rate_limit() -> str:
    return current_app.config["KIOSK_CLAIM_RATE_LIMIT"]


def kiosk_claims_limit(kiosk: Callable[[], Kiosk | None]):
    """The limit as a view decorator; `kiosk` finds the request's enrolled kiosk (None: not counted,
    the view refuses it anyway)."""
    return limiter.shared_limit(
        _rate_limit,
        scope=SCOPE,
        key_func=lambda: f"kiosk:{kiosk().id}",
        exempt_when=lambda: kiosk() is None,
        methods=["POST"],
    )
