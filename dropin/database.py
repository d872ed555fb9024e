"""Engine settings per database: SQLite in WAL mode with foreign keys and a busy timeout."""

import contextlib
import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from dropin.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    # FULL keeps the last commits on power loss; claims are worth it.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            _create_private_file(engine.url.database)
            sa.event.listen(engine, "connect", _sqlite_pragmas)


def _create_private_file(name: str | None) -> None:
    """Create a new SQLite file readable by this user only (0600); its -wal and -shm files take
    their mode from it. An existing file is left as it is."""
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    path = Path(name)
    if path.parent.is_dir():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
