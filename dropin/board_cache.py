"""Renderings of a site's board kept per process, keyed by everything they show: rendered once per change.

The board page, its live task list and the tasks API are the same for every screen of a site that
speaks the same language and is (or is not) an enrolled kiosk. What else they show is the site's
data, whose version (`dropin.data_version`) changes in the same transaction as any of it, and the
clock: a task's card turns "started" at its start and "ended" at its end, and the day turns at
midnight. So a rendering is keyed by

    (what, site, data version, language, enrolled, the local date, the day shown, the turn)

where the turn is the next moment a task of the shown day starts or ends (none left: the local
date in the key turns at midnight). Until the turn nothing the clock decides can change.

The ETag is made from the key, not from the body: an unchanged board answers 304 with the site's
row (its version read first, before any data, as `dropin.data_version` asks) and the day's moments,
kept here too, and no template (and `dropin.board_polls` sends the same request's answer again
before Flask). Each process keeps its own entries and reads the version from the database, so
several processes are correct by construction.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from dropin.extensions import db
from dropin.models import Site, Task
from dropin.models.base import utcnow
from dropin.models.task_content import ends_at

# Bump when the board's templates or the API's fields change what they show for the same key.
LAYOUT = "2"
# Renderings and days' moments kept per process: a board page is ~10 KB, so a few MB at most.
ENTRIES = 256


class Renderings:
    """A bounded, thread-safe map from keys to what was made for them, least recently used out first."""

    def __init__(self, size: int = ENTRIES) -> None:
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: tuple, make: Callable[[], object]):
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = make()  # outside the lock: two threads may make the same entry once each
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


def renderings() -> Renderings:
    """This app's renderings (each app its own: tests build many apps in one process)."""
    return current_app.extensions.setdefault("dropin.board_cache", Renderings())


def _moments(site: Site, day: date) -> tuple[datetime, ...]:
    """Every start and end of the site's tasks of `day`, sorted: when a card's state may turn."""
    rows = db.session.execute(
        sa.select(Task.start_time, Task.end_time).where(Task.site_id == site.id, Task.date == day)
    )
    zone = site.zone
    found = set()
    for start, end in rows:
        found.add(datetime.combine(day, start, tzinfo=zone))
        found.add(ends_at(day, end, zone))
    return tuple(sorted(found))


@dataclass(frozen=True)
class Showing:
    """A site's board as of `now`: its data version, the local date, the day shown and the next turn."""

    site_id: int
    created: str
    version: int
    now: datetime
    today: date
    day: date
    turn: datetime | None
    # When an answer made now stops holding: the turn, or the midnight that ends `today`.
    until: datetime

    def key(self, what: str, locale: str, enrolled: bool = False, *extra) -> tuple:
        turn = self.turn.isoformat() if self.turn else ""
        return (LAYOUT, what, self.site_id, self.created, self.version, locale, enrolled, self.today.isoformat(),
                self.day.isoformat(), turn, *extra)  # fmt: skip


def etag(key: tuple) -> str:
    """A strong ETag value (hex) for a key: the same in every process, new with every change."""
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]


def showing(site: Site, day: date | None = None, now: datetime | None = None) -> Showing:
    """What `site`'s board (or its tasks of `day`) shows at `now`, as a key's parts.

    The version is the one loaded with `site`, which the request reads before any of the data a
    rendering shows. The moments of the day come from this process's entries after the first look.
    """
    now = now or utcnow()
    today = now.astimezone(site.zone).date()
    day = day or today
    version = site.data_version or 0
    moments = renderings().get_or_make(("moments", site.id, version, day.isoformat()), lambda: _moments(site, day))
    turn = next((moment for moment in moments if moment > now), None)
    midnight = datetime.combine(today + timedelta(days=1), time(0), tzinfo=site.zone)
    until = min(turn, midnight) if turn else midnight
    created = site.created_at.isoformat() if site.created_at else ""
    return Showing(site.id, created, version, now, today, day, turn, until)


def cached(key: tuple, render: Callable[[], str | bytes]) -> bytes:
    """The rendering for `key`, made by `render` the first time (as UTF-8 bytes)."""

    def make() -> bytes:
        body = render()
        return body.encode() if isinstance(body, str) else body

    return renderings().get_or_make(key, make)
