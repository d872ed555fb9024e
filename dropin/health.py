"""Is the app able to do its work? The database must take a write, not just answer a read.

A read-only SQLite file, a disk that is full, a database that is down or locked: each lets a
`SELECT 1` through while every claim fails. The check writes (an UPDATE of Alembic's one row,
rolled back, so nothing changes) and, for SQLite, looks at the free space next to the file.
"""

import logging
import os
from pathlib import Path

import sqlalchemy as sa

from dropin.extensions import db

log = logging.getLogger(__name__)

OK = "ok"
# Below this much free space next to the SQLite file, claims are about to fail.
MIN_FREE_BYTES = 1 << 20


def database_state() -> str:
    """ "ok", or in a word or two what is wrong with the database: "unavailable", "read-only", "disk full"."""
    try:
        with db.engine.connect() as conn, conn.begin() as transaction:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = version_num"))
            transaction.rollback()
    except sa.exc.SQLAlchemyError as error:
        message = str(getattr(error, "orig", error)).lower()
        state = "read-only" if "read-only" in message or "readonly" in message else "unavailable"
        log.warning("Health check: the database is %s (%s)", state, type(getattr(error, "orig", error)).__name__)
        return state
    if db.engine.dialect.name == "sqlite" and _free_bytes(db.engine.url.database) < MIN_FREE_BYTES:
        log.warning("Health check: the disk of the SQLite file is full")
        return "disk full"
    return OK


def _free_bytes(name: str | None) -> int:
    if not name or name == ":memory:":
        return MIN_FREE_BYTES
    folder = Path(name.removeprefix("file:").split("?", 1)[0]).parent
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize
