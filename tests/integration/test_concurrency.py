"""Fifty kiosks tap the last three places at once, through two waitress processes on one database."""

from collections import Counter

import pytest

from tests.integration import active_claims, claimable_task, fire_claims, waitress_servers

pytestmark = pytest.mark.slow

CAPACITY, CLAIMS = 3, 50


def test_simultaneous_claims_never_exceed_capacity(database_url, db_kind, tmp_path):
    task_id, token = claimable_task(database_url, CAPACITY)
    with waitress_servers(database_url, tmp_path, count=2) as bases:
        outcomes, seconds = fire_claims(bases, task_id, token, total=CLAIMS, workers=CLAIMS)
    seen = Counter((o.status, o.error) for o in outcomes)
    print(
        f"\n{db_kind}: {seen[(201, None)]} claimed, {seen[(409, 'full')]} refused as full "
        f"of {CLAIMS} in {seconds * 1000:.0f} ms; all answers: {dict(seen)}"
    )
    assert seen == {(201, None): CAPACITY, (409, "full"): CLAIMS - CAPACITY}
    assert active_claims(database_url, task_id) == CAPACITY
