"""The day's state, decided in one place: what staff and admins may do with a day."""

from datetime import timedelta

import pytest

from dropin.extensions import db
from dropin.models import DayRecord
from dropin.staff.service import DayClosed, day_state, ensure_open
from tests.factories import make_site

pytestmark = pytest.mark.usefixtures("ctx")


def close(site, day):
    db.session.add(DayRecord(site_id=site.id, date=day))
    db.session.flush()


def test_an_open_day_today_lets_staff_do_everything():
    site = make_site()
    state = day_state(site, site.today())
    assert (state.is_today, state.closed, state.future) == (True, False, False)
    assert (state.plannable, state.walk_ins_open, state.closable) == (True, True, True)


def test_a_future_day_is_planned_but_not_closed_and_takes_no_walk_ins():
    site = make_site()
    state = day_state(site, site.today() + timedelta(days=1))
    assert (state.future, state.plannable, state.walk_ins_open, state.closable) == (True, True, False, False)


def test_a_past_open_day_can_still_be_closed():
    site = make_site()
    state = day_state(site, site.today() - timedelta(days=1))
    assert (state.closable, state.walk_ins_open) == (True, False)


@pytest.mark.parametrize(("admin", "plannable"), [(False, False), (True, True)])
def test_a_closed_day_is_for_admins_only_and_never_takes_walk_ins(admin, plannable):
    site = make_site()
    close(site, site.today())
    state = day_state(site, site.today(), admin=admin)
    assert state.closed
    assert state.record is not None
    assert (state.plannable, state.closable, state.walk_ins_open) == (plannable, plannable, False)


def test_ensure_open_follows_the_state():
    site = make_site()
    close(site, site.today())
    with pytest.raises(DayClosed):
        ensure_open(site, site.today())
    ensure_open(site, site.today(), admin=True)
