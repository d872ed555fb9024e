"""The day page offers only what the services then allow (one rule, read by the template)."""

import pytest

from dropin.extensions import db
from dropin.models import DayRecord
from dropin.models.user import Role
from tests.factories import make_site, make_task

WALK_IN = "Ota paikka kävijälle"
CLOSE = "Sulje päivä"


@pytest.fixture
def closed_today(app):
    """Today's day closed at a site, and then an admin added a task to it (admins may)."""
    with app.app_context():
        site = make_site("satama")
        db.session.add(DayRecord(site_id=site.id, date=site.today()))
        task = make_task(site)
        db.session.commit()
        return f"/staff/{site.slug}/day/{site.today().isoformat()}", task.id


def test_an_admin_is_not_offered_a_walk_in_on_a_closed_day(client, login_as, closed_today):
    page, task_id = closed_today
    login_as(Role.ADMIN)
    html = client.get(page).get_data(as_text=True)
    assert f"/tasks/{task_id}/edit" in html  # admins still plan a closed day
    assert WALK_IN not in html  # but the service refuses walk-ins on it, so none is offered


def test_staff_see_a_closed_day_read_only(client, login_as, closed_today):
    page, task_id = closed_today
    login_as(Role.STAFF, sites=["satama"])
    html = client.get(page).get_data(as_text=True)
    assert WALK_IN not in html
    assert f"/tasks/{task_id}/edit" not in html
    assert CLOSE not in html


def test_staff_are_offered_walk_ins_and_closing_on_an_open_day(client, app, login_as):
    with app.app_context():
        site = make_site("satama")
        make_task(site)
        db.session.commit()
        page = f"/staff/{site.slug}/day/{site.today().isoformat()}"
    login_as(Role.STAFF, sites=["satama"])
    html = client.get(page).get_data(as_text=True)
    assert WALK_IN in html
    assert CLOSE in html
