"""A version of the board's task list, for its ETag: it changes exactly when the list would look different.

It is computed from what the list shows, before anything is rendered: each task's columns and its
partner's name, the live count and state of each card (a task turning "started" or "ended" changes
its state, so no clock is needed), the day, whether staff closed it and the next day with tasks,
the language and whether the screen is an enrolled kiosk. An unchanged board then costs a 304.
"""

import hashlib
from datetime import date

import sqlalchemy as sa

from dropin.models import Site, Task
from dropin.sites import BoardDay

# Bump when the list's template changes in a way the data above does not show.
LAYOUT = "1"


def _task_values(task: Task) -> tuple:
    columns = sa.inspect(Task).columns
    return tuple(getattr(task, column.key) for column in columns) + (task.partner.name if task.partner else None,)


def board_version(site: Site, day: BoardDay, today: date, locale: str, enrolled: bool) -> str:
    """A strong ETag value (hex) for the board list of `site` showing `day` on `today`."""
    parts = [
        LAYOUT,
        locale,
        enrolled,
        today,
        site.slug,
        site.meal_time,
        day.closed,
        day.next_date,
        *((_task_values(row.task), row.taken, row.state, row.started) for row in day.rows),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
