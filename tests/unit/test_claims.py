"""The rules of taking and releasing a place, called directly."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from dropin.claims.service import (
    CODE_ALPHABET,
    TaskCancelled,
    TaskClosed,
    TaskEnded,
    TaskFull,
    active_counts,
    answer_first_time,
    claim_place,
    find_claim,
    release_claim,
)
from dropin.extensions import db
from dropin.models import Claim
from dropin.models.claim import ClaimStatus
from dropin.models.task import TaskStatus
from tests.factories import make_site, make_task

pytestmark = pytest.mark.usefixtures("ctx")


def test_claim_gives_code_and_long_token_stored_only_hashed():
    task = make_task(make_site(), capacity=2)
    claim, token = claim_place(task)
    db.session.commit()
    assert len(claim.code) == 5
    assert set(claim.code) <= set(CODE_ALPHABET)
    assert len(token) >= 32  # 24 random bytes, 192 bits
    assert token not in claim.token_hash
    assert find_claim(token).id == claim.id
    assert find_claim(token + "x") is None


def test_capacity_is_never_exceeded():
    task = make_task(make_site(), capacity=2)
    claim_place(task)
    claim_place(task)
    with pytest.raises(TaskFull):
        claim_place(task)
    assert active_counts([task.id]) == {task.id: 2}


def test_release_frees_the_place_at_once():
    task = make_task(make_site(), capacity=1)
    claim, _ = claim_place(task)
    assert release_claim(claim) is True
    assert claim.status == ClaimStatus.RELEASED
    assert claim.ended_at is not None
    assert release_claim(claim) is False
    again, _ = claim_place(task)
    assert again.status == ClaimStatus.ACTIVE


@pytest.mark.parametrize(("status", "error"), [(TaskStatus.CANCELLED, TaskCancelled), (TaskStatus.CLOSED, TaskClosed)])
def test_cancelled_and_closed_tasks_cannot_be_taken(status, error):
    task = make_task(make_site(), status=status)
    with pytest.raises(error):
        claim_place(task)


def test_ended_task_cannot_be_taken():
    site = make_site()
    task = make_task(site, date=site.today() - timedelta(days=1))
    with pytest.raises(TaskEnded):
        claim_place(task)


def test_tomorrows_task_is_not_open_today():
    site = make_site()
    task = make_task(site, date=site.today() + timedelta(days=1))
    with pytest.raises(TaskClosed):
        claim_place(task)


def test_first_time_answer_is_optional_and_stored():
    task = make_task(make_site())
    claim, _ = claim_place(task)
    assert claim.first_time is None
    answer_first_time(claim, True)
    db.session.commit()
    assert db.session.scalar(sa.select(Claim.first_time).where(Claim.id == claim.id)) is True
