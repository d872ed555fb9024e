"""The audit log, /admin/audit: newest first with before and after, filters, pages, a fixed number of queries."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from dropin.extensions import db
from dropin.models import AuditEvent, User
from tests.factories import make_site
from tests.helpers import counted_queries


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def logged(app, people):
    """Events of two users at two sites on two days (Helsinki is UTC+2 in January)."""
    with app.app_context():
        other = make_site("toinen")
        rows = [
            AuditEvent(
                at=at("2025-01-01T09:00"),
                user_id=people.staff,
                user_email="staff@example.org",
                site_id=people.site,
                action="task.create",
                entity="task",
                entity_id=11,
                after={"title": "Haravointi", "capacity": 4},
            ),
            AuditEvent(
                at=at("2025-01-01T21:30"),
                user_id=people.staff,
                user_email="staff@example.org",
                site_id=people.site,
                action="task.update",
                entity="task",
                entity_id=11,
                before={"capacity": 4},
                after={"capacity": 6},
            ),
            # 00.30 on 2 January in Helsinki, still 1 January in UTC.
            AuditEvent(
                at=at("2025-01-01T22:30"),
                user_id=people.admin,
                user_email="admin@example.org",
                site_id=other.id,
                action="task.cancel",
                entity="task",
                entity_id=12,
                before={"status": "open"},
                after={"status": "cancelled"},
            ),
            AuditEvent(
                at=at("2025-01-03T10:00"),
                user_id=people.admin,
                user_email="admin@example.org",
                site_id=None,
                action="user.update",
                entity="user",
                entity_id=people.worker,
                before={"role": "staff", "active": True},
                after={"role": "worker", "active": False},
            ),
        ]
        db.session.add_all(rows)
        db.session.commit()
        return SimpleNamespace(other_site=other.id, ids=[r.id for r in rows])


def shown_events(client, query: str = "") -> list[str]:
    response = client.get(f"/admin/audit{query}")
    assert response.status_code == 200, query
    return re.findall(r'class="audit-entity" href="[^"]*">([^<]+)<', response.get_data(as_text=True))


def test_the_audit_log_is_newest_first_with_before_and_after(admin, people, logged):
    html = admin.get("/admin/audit").get_data(as_text=True)
    assert shown_events(admin) == [f"Käyttäjä #{people.worker}", "Tehtävä #12", "Tehtävä #11", "Tehtävä #11"]
    # Local time: 21.30 UTC is 23.30 in Helsinki.
    assert "1.1.2025 23.30" in html
    assert "2.1.2025 00.30" in html
    assert "<del>4</del> → <ins>6</ins>" in html
    assert "<del>Ohjaaja</del> → <ins>Projektityöntekijä</ins>" in html
    assert "<del>kyllä</del> → <ins>ei</ins>" in html
    assert "Haravointi" in html
    assert "Tehtävää muutettu" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?action=task.update", ["Tehtävä #11"]),
        ("?user={staff}", ["Tehtävä #11", "Tehtävä #11"]),
        ("?site={other}", ["Tehtävä #12"]),
        ("?entity=user", ["Käyttäjä #{worker}"]),
        ("?entity=task&entity_id=11", ["Tehtävä #11", "Tehtävä #11"]),
        ("?date_from=2025-01-02&date_to=2025-01-02", ["Tehtävä #12"]),
        ("?date_to=2025-01-01", ["Tehtävä #11", "Tehtävä #11"]),
        ("?date_from=2025-01-03", ["Käyttäjä #{worker}"]),
        ("?user={admin}&site={other}&action=task.cancel", ["Tehtävä #12"]),
        ("?action=day.close", []),
    ],
)
def test_audit_filters_return_only_matching_rows(admin, people, logged, query, expected):
    fill = {"staff": people.staff, "admin": people.admin, "worker": people.worker, "other": logged.other_site}
    assert shown_events(admin, query.format(**fill)) == [e.format(**fill) for e in expected]


@pytest.mark.parametrize(
    "query",
    [
        "?date_from=eilen",
        "?user=kaikki",
        "?page=0",
        "?page=x",
        "?date_from=2025-02-01&date_to=2025-01-01",
        "?entity_id=-3",
        "?action=" + "x" * 100,
    ],
)
def test_bad_audit_filters_get_400(admin, people, query):
    assert admin.get(f"/admin/audit{query}").status_code == 400


def test_the_audit_log_pages_by_50_keeping_the_filters(app, admin, people):
    with app.app_context():
        db.session.add_all(
            [
                AuditEvent(
                    at=at("2025-02-01T08:00").replace(minute=i % 60, second=i // 60),
                    action="task.update",
                    entity="task",
                    entity_id=i + 1,
                    site_id=people.site,
                )
                for i in range(120)
            ]
        )
        db.session.commit()
    first = admin.get(f"/admin/audit?site={people.site}")
    html = first.get_data(as_text=True)
    assert html.count('class="audit-event"') == 50
    assert (
        f'href="/admin/audit?site={people.site}&amp;page=2"' in html
        or f'href="/admin/audit?page=2&amp;site={people.site}"' in html
    )
    third = admin.get(f"/admin/audit?site={people.site}&page=3").get_data(as_text=True)
    assert third.count('class="audit-event"') == 20
    assert 'rel="next"' not in third
    # Newest first across pages: the last page ends with the oldest event.
    assert shown_events(admin, f"?site={people.site}&page=3")[-1] == "Tehtävä #1"


def test_the_audit_page_runs_the_same_queries_for_5_or_55_events(app, admin, people):
    def add(n):
        with app.app_context():
            users = [db.session.get(User, i) for i in (people.admin, people.staff, people.worker)]
            db.session.add_all(
                [
                    AuditEvent(
                        user_id=users[i % 3].id,
                        user_email=users[i % 3].email,
                        site_id=people.site if i % 2 else None,
                        action="task.update",
                        entity="task",
                        entity_id=i,
                        before={"a": 1},
                        after={"a": 2},
                    )
                    for i in range(n)
                ]
            )
            db.session.commit()

    add(5)
    with counted_queries(app) as few:
        admin.get("/admin/audit")
    add(50)
    with counted_queries(app) as many:
        admin.get("/admin/audit")
    assert len(many) == len(few)
    page_queries = [s for s in many if "FROM audit_events" in s and "LIMIT" in s]
    assert len(page_queries) == 1
    assert "JOIN users" in page_queries[0]
    assert "JOIN sites" in page_queries[0]
