"""Visitors give places back while staff cancel the task, at once, through two real waitress processes:
every claim ends in one status, every answer tells the truth about it, the audit counts what changed."""

import json
import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from dropin import create_app
from dropin.claims.service import claim_place, hash_token
from dropin.extensions import db
from dropin.models import AuditEvent, Claim
from dropin.models.claim import ClaimStatus
from tests.factories import make_site, make_task, make_user
from tests.helpers import csrf_token
from tests.integration import waitress_servers
from tests.integration.browser import Browser

pytestmark = pytest.mark.slow

ROUNDS, CLAIMS = 12, 3
SITE = "kilpa"


def _tasks_with_claims(database_url: str) -> list[tuple[int, list[str]]]:
    """ROUNDS open tasks of today, each with CLAIMS active claims; a staff member of the site."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "setup"})
    with app.app_context():
        site = make_site(SITE)
        make_user("staff@example.org", "staff", sites=[site])
        made = []
        for _ in range(ROUNDS):
            task = make_task(site, capacity=CLAIMS)
            made.append((task.id, [claim_place(task)[1] for _ in range(CLAIMS)]))
        db.session.commit()
        db.engine.dispose()
    return made


def _rows(database_url: str) -> tuple[dict[int, dict[int, str]], dict[int, list[int]]]:
    """Each task's claims by id with their status, and the claims_released of each task.cancel event."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            statuses: dict[int, dict[int, str]] = {}
            for task_id, claim_id, status in conn.execute(sa.select(Claim.task_id, Claim.id, Claim.status)):
                statuses.setdefault(task_id, {})[claim_id] = status
            released: dict[int, list[int]] = {}
            for entity_id, after in conn.execute(
                sa.select(AuditEvent.entity_id, AuditEvent.after).where(AuditEvent.action == "task.cancel")
            ):
                after = json.loads(after) if isinstance(after, str) else after
                released.setdefault(entity_id, []).append(after["claims_released"])
            return statuses, released
    finally:
        engine.dispose()


def _claim_ids(database_url: str) -> dict[str, int]:
    """Claim ids by token hash."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return {row.token_hash: row.id for row in conn.execute(sa.select(Claim.token_hash, Claim.id))}
    finally:
        engine.dispose()


def _race(staff, token, visitors, task_id, phone_tokens, by_hash, answers, cancels) -> None:
    """One round: every visitor gives their place back while staff cancel the task, released together."""
    barrier = threading.Barrier(len(phone_tokens) + 1, timeout=60)

    def release(i: int, phone_token: str) -> None:
        barrier.wait()
        response, _ = visitors[i].request("DELETE", f"/api/v1/claims/{phone_token}")
        answers[by_hash[hash_token(phone_token)]] = response.status

    def cancel() -> None:
        barrier.wait()
        form = {"csrf_token": token, "reason": "Sade"}
        cancels[task_id] = staff.request("POST", f"/staff/{SITE}/tasks/{task_id}/cancel", form)[0].status

    threads = [threading.Thread(target=release, args=(i, t)) for i, t in enumerate(phone_tokens)]
    threads.append(threading.Thread(target=cancel))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_release_and_cancel_at_once_agree_with_the_rows_and_the_audit(database_url, db_kind, tmp_path):
    tasks = _tasks_with_claims(database_url)
    by_hash = _claim_ids(database_url)
    answers: dict[int, int] = {}  # claim id -> the release's HTTP status
    cancels: dict[int, int] = {}  # task id -> the cancel's HTTP status
    with waitress_servers(database_url, tmp_path, count=2) as bases:
        staff = Browser(bases[0])
        assert staff.login("staff@example.org").status == 302
        token = csrf_token(staff.request("GET", f"/staff/{SITE}/tasks/{tasks[0][0]}/cancel")[1])
        visitors = [Browser(bases[(i + 1) % 2]) for i in range(CLAIMS)]
        for task_id, phone_tokens in tasks:
            _race(staff, token, visitors, task_id, phone_tokens, by_hash, answers, cancels)
    statuses, released = _rows(database_url)
    seen = Counter(answers.values())
    outcome = Counter(status for claims in statuses.values() for status in claims.values())
    print(f"\n{db_kind}: {ROUNDS} rounds: releases answered {dict(seen)}; claims ended {dict(outcome)}")
    assert set(cancels.values()) == {302}
    wrong = {
        claim_id: (answers[claim_id], status)
        for claims in statuses.values()
        for claim_id, status in claims.items()
        if (answers[claim_id], status) not in ((204, ClaimStatus.RELEASED), (409, ClaimStatus.CANCELLED))
    }
    assert not wrong, f"answers that disagree with the rows (claim: (HTTP, status)): {wrong}"
    for task_id, claims in statuses.items():
        cancelled = sum(status == ClaimStatus.CANCELLED for status in claims.values())
        assert released.get(task_id) == [cancelled], f"task {task_id}: audit {released.get(task_id)}, rows {claims}"
