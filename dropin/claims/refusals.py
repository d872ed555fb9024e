"""Why a place cannot be taken, and how each audience is told: one vocabulary for the kiosk, staff and the API.

A task's availability is `open` or one of the refusal reasons. The claims service raises a
`ClaimRefused` subclass; the kiosk shows the visitor's words, staff see a flash, and the API
answers a 409 with the reason as its `error` and an English message.
"""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Availability(StrEnum):
    """What a task's card shows: open, or why it cannot be taken right now."""

    OPEN = "open"
    FULL = "full"
    CANCELLED = "cancelled"
    CLOSED = "closed"
    ENDED = "ended"


class ClaimRefused(Exception):
    """A place cannot be taken; `reason` says why."""

    reason: Availability


class TaskFull(ClaimRefused):
    reason = Availability.FULL


class TaskCancelled(ClaimRefused):
    reason = Availability.CANCELLED


class TaskClosed(ClaimRefused):
    reason = Availability.CLOSED


class TaskEnded(ClaimRefused):
    reason = Availability.ENDED


# Every reason a place can be refused for, as the API and its OpenAPI document name them.
REFUSAL_REASONS = tuple(refused.reason.value for refused in (TaskFull, TaskCancelled, TaskClosed, TaskEnded))

# The visitor's words on a task's details page (the kiosk).
VISITOR_NOTICES = {
    Availability.CANCELLED: _l("Tämä tehtävä on peruttu."),
    Availability.FULL: _l("Tämä tehtävä on täynnä. Katso muita tehtäviä."),
    Availability.ENDED: _l("Tämä tehtävä on jo päättynyt."),
    Availability.CLOSED: _l("Tähän tehtävään ei voi tulla tänään."),
}

# The icon beside a card's places (static/img/icons/): an ended task is over, not called off.
VISITOR_ICONS = {
    Availability.OPEN: "people",
    Availability.FULL: "full",
    Availability.CANCELLED: "cancel",
    Availability.CLOSED: "cancel",
    Availability.ENDED: "ended",
}

# What staff read when a walk-in is refused.
STAFF_MESSAGES = {
    Availability.FULL: _l("Tehtävä on täynnä."),
    Availability.CANCELLED: _l("Tehtävä on peruttu."),
    Availability.CLOSED: _l("Tehtävään ei voi ottaa paikkaa tänään."),
    Availability.ENDED: _l("Tehtävä on jo päättynyt."),
}

# The API speaks English to other systems.
API_MESSAGES = {
    Availability.FULL: "The task is full.",
    Availability.CANCELLED: "The task has been cancelled.",
    Availability.CLOSED: "The task is not open for claims today.",
    Availability.ENDED: "The task has already ended.",
}

# A place given back after staff cancelled it (the task or a cut in its capacity): nothing changes.
CLAIM_CANCELLED = "claim_cancelled"
CLAIM_CANCELLED_MESSAGE = "Staff cancelled this place; there is nothing to give back."
