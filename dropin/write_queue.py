"""On SQLite, the writers of one process wait for each other in a queue rather than in SQLite.

SQLite lets one writer in at a time; the others wait in its busy handler, which sleeps and
retries with growing pauses (up to 100 ms each). Eight kiosks' claims at once then finish in a
burst of late retries: a median of milliseconds, a 95th percentile of half a second. A lock of
this process, taken just before a transaction's first board write (data_version's bump, the
claim's lock) and released when the transaction ends, hands the turn over at once instead.

SQLite's own locking still decides who writes: the queue only orders the writers that would
have waited anyway. It gives up waiting after WAIT_SECONDS and lets the writer go on to SQLite,
so a transaction that already holds SQLite's lock and then queues can never deadlock with one
that holds the queue and waits for SQLite. Other processes (and PostgreSQL) are unaffected.
"""

import threading
import weakref

import sqlalchemy as sa
import sqlalchemy.orm as so

WAIT_SECONDS = 2.0
_HOLDS = "dropin.write_queue.holds"
_queues: "weakref.WeakKeyDictionary[sa.Engine, threading.Lock]" = weakref.WeakKeyDictionary()
_queues_lock = threading.Lock()


def _queue(engine: sa.Engine) -> threading.Lock:
    with _queues_lock:
        return _queues.setdefault(engine, threading.Lock())


def take_turn(session: so.Session) -> None:
    """Wait for this process's other SQLite writers to finish; held until the transaction ends."""
    if session.info.get(_HOLDS) is not None:
        return
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return
    queue = _queue(engine)
    if queue.acquire(timeout=WAIT_SECONDS):
        session.info[_HOLDS] = queue


@sa.event.listens_for(so.Session, "after_transaction_end")
def _end_turn(session: so.Session, transaction: so.SessionTransaction) -> None:
    if transaction.parent is None:
        queue = session.info.pop(_HOLDS, None)
        if queue is not None:
            queue.release()
