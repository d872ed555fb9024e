"""Engine settings per database: SQLite in WAL mode with foreign keys and a busy timeout."""

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
            sa.event.listen(engine, "connect", _sqlite_pragmas)
