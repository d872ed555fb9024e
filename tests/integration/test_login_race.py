"""Wrong passwords in parallel at two real waitress processes: the throttle counts every one."""

import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from dropin import create_app
from dropin.extensions import db
from dropin.models import LoginThrottle
from dropin.models.login_throttle import LoginLockout
from tests.factories import make_user
from tests.integration import waitress_servers
from tests.integration.browser import Browser

pytestmark = pytest.mark.slow

PARALLEL = 29


def _staff(database_url: str) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "setup"})
    with app.app_context():
        make_user("staff@example.org", "staff")
        db.session.commit()
        db.engine.dispose()


def _rows(database_url: str):
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            failures = conn.execute(sa.select(LoginThrottle.key, LoginThrottle.failures)).all()
            lockouts = conn.execute(sa.select(LoginLockout.attempts)).scalars().all()
            return dict(failures), lockouts
    finally:
        engine.dispose()


def test_parallel_wrong_passwords_never_fail_and_the_lock_holds(database_url, db_kind, tmp_path):
    _staff(database_url)
    with waitress_servers(database_url, tmp_path, count=2) as bases:
        browsers = [Browser(bases[i % 2]) for i in range(PARALLEL)]
        tokens = [b.login_form() for b in browsers]  # sessions first: the burst is only the POSTs
        barrier = threading.Barrier(PARALLEL, timeout=60)
        statuses = [0] * PARALLEL

        def guess(i: int) -> None:
            barrier.wait()
            statuses[i] = browsers[i].post_login(tokens[i], "staff@example.org", "väärä-salasana").status

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(PARALLEL)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        right = Browser(bases[0]).login("staff@example.org").status
    seen = Counter(statuses)
    failures, lockouts = _rows(database_url)
    print(f"\n{db_kind}: {PARALLEL} parallel wrong passwords answered {dict(seen)}; then the right one: {right}")
    assert seen == {401: 4, 429: PARALLEL - 4}  # four refused, the fifth locks, the rest wait
    assert right == 429  # the lock holds against the right password from the same client
    # Exactly five passwords were checked (account and pair); the client was counted up to its own lock.
    assert sorted(failures.values()) == [5, 5, 20]
    assert lockouts == [5]
