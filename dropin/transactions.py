"""How a view ends its request's transaction: the one place views commit.

A view asks a service for one change. `attempt` commits it or, when the service refuses with one
of the domain errors the view expects, rolls back everything the change did and hands the error
back for the view to show. Any other error passes on to the error handlers, uncommitted.
"""

from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from dropin.extensions import db

T = TypeVar("T")


class Outcome(NamedTuple, Generic[T]):
    result: T | None
    refused: Exception | None  # one of the expected refusals, or None when the change was committed


def attempt(change: Callable[[], T], *refusals: type[Exception]) -> Outcome[T]:
    """Run `change` and commit it; on one of `refusals`, roll back and return the error instead."""
    try:
        result = change()
    except refusals as error:
        db.session.rollback()
        return Outcome(None, error)
    db.session.commit()
    return Outcome(result, None)
