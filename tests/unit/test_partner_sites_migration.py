"""Migration 0008 gives every existing partner the sites that use it, so no staff member loses one."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from dropin.extensions import db
from tests.helpers import ROOT
from tests.old_rows import TIMES, insert

DIRECTORY = str(ROOT / "migrations")


def test_existing_partners_get_the_sites_where_they_have_tasks_templates_or_links(app):
    with app.app_context():
        downgrade(directory=DIRECTORY, revision="0007")
        db.session.remove()
        with db.engine.begin() as old:  # not the app's session: its listeners know today's tables
            sites = {slug: insert(old, "sites", slug=slug, name=f"Olohuone {slug}") for slug in "abc"}
            ids = {name: insert(old, "partners", name=name) for name in ("Tehtävä", "Pohja", "Linkki", "Ei mitään")}
            insert(old, "tasks", site_id=sites["b"], partner_id=ids["Tehtävä"], status="open", **TIMES)
            insert(old, "task_templates", site_id=sites["c"], partner_id=ids["Pohja"], **TIMES)
            insert(old, "partner_links", partner_id=ids["Linkki"], site_id=sites["a"], token_hash="x" * 64)
        upgrade(directory=DIRECTORY)
        with db.engine.connect() as connection:
            rows = set(connection.execute(sa.text("SELECT partner_id, site_id FROM partner_sites")))
    assert rows == {
        (ids["Tehtävä"], sites["b"]),
        (ids["Pohja"], sites["c"]),
        (ids["Linkki"], sites["a"]),
        (ids["Ei mitään"], sites["a"]),
        (ids["Ei mitään"], sites["b"]),
        (ids["Ei mitään"], sites["c"]),
    }
