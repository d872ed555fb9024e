"""SQLite writers of one process queue for their turn, held from the first board write to the transaction's end."""

import threading
import time

import pytest

from dropin import write_queue
from dropin.data_version import lock_site
from dropin.extensions import db
from tests.factories import make_site

pytestmark = pytest.mark.usefixtures("ctx")


def turn_taken() -> bool:
    return write_queue._queue(db.engine).locked()


@pytest.mark.parametrize("end", ["commit", "rollback"])
def test_the_turn_is_held_until_the_transaction_ends(db_kind, end):
    site = make_site()
    db.session.commit()
    lock_site(site.id)
    assert turn_taken() == (db_kind == "sqlite")  # PostgreSQL queues in its row lock instead
    getattr(db.session, end)()
    assert not turn_taken()


def test_a_second_writer_waits_for_the_first_to_commit(app, db_kind):
    if db_kind != "sqlite":
        pytest.skip("the queue is SQLite's")
    site = make_site()
    db.session.commit()
    lock_site(site.id)
    waited = []

    def second():
        with app.app_context():
            started = time.perf_counter()
            lock_site(site.id)
            waited.append(time.perf_counter() - started)
            db.session.commit()

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.3)
    assert not waited  # still waiting for its turn
    db.session.commit()
    thread.join(5)
    assert 0.25 < waited[0] < write_queue.WAIT_SECONDS
