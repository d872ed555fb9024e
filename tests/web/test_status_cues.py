"""What a visitor sees matches the task's state: icons, and no meal promised by a task called off."""

from datetime import time

import pytest

from dropin.claims.service import claim_place
from dropin.extensions import db
from dropin.models.task import TaskStatus
from dropin.sites import find_site
from dropin.staff import service
from tests.factories import make_site, make_task


@pytest.fixture
def site(app):
    with app.app_context():
        make_site("satama")
        db.session.commit()
    return "satama"


def _card(html: str, title: str) -> str:
    start = html.index(title)
    return html[html.rindex('<li class="card', 0, start) : html.index("</li>", start)]


def test_an_ended_task_has_its_own_icon_not_the_cancel_cross(client, app, site):
    with app.app_context():
        satama = find_site(site)
        make_task(satama, title="Aamun siivous", start_time=time(0, 0), end_time=time(0, 1))
        make_task(satama, title="Peruttu leivonta", status=TaskStatus.CANCELLED, cancel_reason="Uuni rikki")
        make_task(satama, title="Iltapäivän leivonta")  # an open task: the day is not over, the cards show
        db.session.commit()
    html = client.get(f"/kiosk/{site}").get_data(as_text=True)
    ended = _card(html, "Aamun siivous")
    assert "icons/ended.svg" in ended
    assert "icons/cancel.svg" not in ended
    assert "icons/cancel.svg" in _card(html, "Peruttu leivonta")


@pytest.mark.parametrize(("another_meal_task", "promised"), [(False, False), (True, True)])
def test_a_cancelled_tasks_phone_page_promises_a_meal_only_while_the_day_offers_one(
    client, app, site, another_meal_task, promised
):
    with app.app_context():
        satama = find_site(site)
        task = make_task(satama, title="Haravointi", meal_included=True)
        if another_meal_task:
            make_task(satama, title="Lounaan valmistus", meal_included=True)
        _claim, token = claim_place(task)
        service.cancel_task(task, "Sadetta")
        db.session.commit()
    html = client.get(f"/c/{token}").get_data(as_text=True)
    assert "Tehtävä on peruttu" in html
    assert ("Saat ruokaa." in html) is promised
