"""Upgrading an installation keeps every row: SQLite rebuilds tables in batch migrations, and a
rebuilt table dropped with foreign keys on would take every row pointing at it along."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from dropin.extensions import db
from tests.helpers import ROOT
from tests.old_rows import TIMES, insert

DIRECTORY = str(ROOT / "migrations")
TABLES = ("sites", "partners", "partner_sites", "tasks", "claims", "kiosks", "users", "user_sites", "day_records")


def counts(connection) -> dict[str, int]:
    return {table: connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() for table in TABLES}


def test_upgrading_from_0008_keeps_every_row(app):
    with app.app_context():
        downgrade(directory=DIRECTORY, revision="0008")
        db.session.remove()
        with db.engine.begin() as old:
            site = insert(old, "sites", slug="satama", name="Olohuone Satama")
            partner = insert(old, "partners", name="Rantojen ystävät ry")
            old.execute(
                sa.text("INSERT INTO partner_sites (partner_id, site_id) VALUES (:p, :s)"), {"p": partner, "s": site}
            )
            task = insert(old, "tasks", site_id=site, partner_id=partner, status="open", **TIMES)
            insert(old, "claims", task_id=task, code="ACDEF", token_hash="t" * 64, source="kiosk", status="active")
            insert(old, "kiosks", site_id=site, name="Näyttö", api_token_hash="k" * 64, cookie_secret="c" * 32)
            user = insert(old, "users", email="staff@example.fi", role="staff")
            old.execute(sa.text("INSERT INTO user_sites (user_id, site_id) VALUES (:u, :s)"), {"u": user, "s": site})
            insert(old, "day_records", site_id=site)
            before = counts(old)
        upgrade(directory=DIRECTORY)
        with db.engine.connect() as connection:
            after = counts(connection)
            foreign_keys = (
                connection.exec_driver_sql("PRAGMA foreign_keys").scalar() if db.engine.name == "sqlite" else 1
            )
    assert after == before
    assert all(n >= 1 for n in after.values())
    assert foreign_keys == 1  # switched on again for the connections that stay in the pool
