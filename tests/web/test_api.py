"""The JSON API through the test client; every answer is checked against its own OpenAPI document."""

import re
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from dropin.claims.service import CODE_ALPHABET, CODE_LENGTH, claim_place
from dropin.extensions import db
from dropin.models import Claim, Kiosk, Site, Task
from dropin.models.base import utcnow
from dropin.models.claim import ClaimStatus
from dropin.models.task import TaskStatus
from tests.factories import make_kiosk, make_site, make_task
from tests.helpers import count_rows, counted_queries

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}  # HEAD and OPTIONS are Flask's, not ours
TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "object": dict,
    "array": list,
    "null": type(None),
}


# --- a small checker for the parts of JSON Schema the document uses ---------------------------


def _resolve(spec: dict, ref: str) -> dict:
    node = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _is(value, kind: str) -> bool:
    if isinstance(value, bool) and kind in ("integer", "number"):
        return False  # bool is an int in Python, not in JSON
    return isinstance(value, TYPES[kind])


def _string_problems(value: str, schema: dict, where: str) -> list[str]:
    found = []
    if "pattern" in schema and not re.search(schema["pattern"], value):
        found.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if len(value) < schema.get("minLength", 0):
        found.append(f"{where}: {value!r} is too short")
    if schema.get("format") == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            found.append(f"{where}: {value!r} is not a date")
    return found


def _object_problems(value: dict, schema: dict, spec: dict, where: str) -> list[str]:
    properties = schema.get("properties", {})
    found = [f"{where}: missing {key}" for key in schema.get("required", ()) if key not in value]
    if schema.get("additionalProperties") is False:
        found += [f"{where}: undocumented {key}" for key in value if key not in properties]
    for key, sub in properties.items():
        if key in value:
            found += schema_problems(value[key], sub, spec, f"{where}.{key}")
    return found


def schema_problems(value, schema: dict, spec: dict, where: str = "$") -> list[str]:
    """What is wrong with `value` under `schema` ($ref, allOf, type, enum, pattern, required...)."""
    if "$ref" in schema:
        return schema_problems(value, _resolve(spec, schema["$ref"]), spec, where)
    found = [p for part in schema.get("allOf", ()) for p in schema_problems(value, part, spec, where)]
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_is(value, kind) for kind in kinds):
            return [*found, f"{where}: {value!r} is not {'/'.join(kinds)}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        found += _string_problems(value, schema, where)
    if _is(value, "number") and value < schema.get("minimum", value):
        found.append(f"{where}: {value} is below {schema['minimum']}")
    if isinstance(value, dict):
        found += _object_problems(value, schema, spec, where)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            found += schema_problems(item, schema["items"], spec, f"{where}[{i}]")
    return found


def spec_path(rule: str) -> str:
    """/api/v1/tasks/<int:task_id>/claims -> /api/v1/tasks/{task_id}/claims"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture
def api(app, client, spec):
    """Call the API like a client would; fail on any answer the document does not describe."""
    adapter = app.url_map.bind("localhost")

    def call(method: str, path: str, token: str | None = None, headers: dict | None = None, **kw):
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        response = client.open(path, method=method, headers=headers, **kw)
        rule, _ = adapter.match(urlsplit(path).path, method=method, return_rule=True)
        operation = spec["paths"][spec_path(rule.rule)][method.lower()]
        documented = operation["responses"].get(str(response.status_code))
        assert documented, f"{method} {path} gave undocumented {response.status_code}: {response.data!r}"
        if "content" not in documented:
            assert response.data == b""
            return response
        assert response.mimetype == "application/json", response.data
        schema = documented["content"]["application/json"]["schema"]
        assert schema_problems(response.get_json(), schema, spec) == []
        return response

    return call


@pytest.fixture
def board(app):
    """A site with an enrolled kiosk and an open task of today, as plain values."""
    with app.app_context():
        site = make_site("olohuone")
        enrollment = make_kiosk(site)
        task = make_task(site, capacity=2)
        db.session.commit()
        return SimpleNamespace(
            slug=site.slug,
            site_id=site.id,
            today=site.today(),
            task_id=task.id,
            token=enrollment.api_token,
            kiosk_id=enrollment.kiosk.id,
        )


def add_task(app, site_id: int, **fields) -> int:
    with app.app_context():
        task = make_task(db.session.get(Site, site_id), **fields)
        db.session.commit()
        return task.id


def active_claims(app, task_id: int) -> int:
    return count_rows(app, Claim, Claim.task_id == task_id, Claim.status == ClaimStatus.ACTIVE)


def free_places(api, slug: str, task_id: int) -> int:
    tasks = api("GET", f"/api/v1/sites/{slug}/tasks").get_json()["tasks"]
    return next(t["free"] for t in tasks if t["id"] == task_id)


# --- the document itself -------------------------------------------------------------------------


def test_document_describes_exactly_the_blueprints_routes(app, spec):
    served = {
        (spec_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        # The API's routes, and the region listing's open-data JSON, which the document describes too.
        if rule.endpoint.startswith("api.") or rule.endpoint == "regions.tasks_json"
        for method in rule.methods & METHODS
    }
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert documented == served


def test_document_is_openapi_3_1_with_resolvable_refs_and_path_parameters(spec):
    assert spec["openapi"].startswith("3.1")
    assert {"Site", "Task", "Claim", "Error"} <= set(spec["components"]["schemas"])
    bearer = spec["components"]["securitySchemes"]["bearer"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    assert spec["paths"]["/api/v1/tasks/{task_id}/claims"]["post"]["security"] == [{"bearer": []}]
    refs = re.findall(r"'\$ref': '([^']+)'", repr(spec))
    assert refs
    assert all(_resolve(spec, ref) for ref in refs)
    for path, item in spec["paths"].items():
        for operation in item.values():
            params = [_resolve(spec, p["$ref"]) if "$ref" in p else p for p in operation.get("parameters", ())]
            assert {p["name"] for p in params if p["in"] == "path"} == set(re.findall(r"{(\w+)}", path))


def test_the_checker_itself_finds_wrong_shapes(spec):
    error = {"$ref": "#/components/schemas/Error"}
    assert schema_problems({"error": "full", "message": "x"}, error, spec) == []
    assert schema_problems({"error": "full"}, error, spec) == ["$: missing message"]
    assert schema_problems({"error": 1, "message": "x", "extra": 0}, error, spec) == [
        "$: undocumented extra",
        "$.error: 1 is not string",
    ]


# --- sites and the day's tasks -----------------------------------------------------------------


def test_sites_are_listed(api, board):
    sites = api("GET", "/api/v1/sites").get_json()["sites"]
    assert [(s["slug"], s["today"]) for s in sites] == [("olohuone", board.today.isoformat())]


def test_tasks_default_to_today_in_the_sites_zone(app, api, board):
    add_task(app, board.site_id, date=board.today + timedelta(days=1), title="Huomenna")
    body = api("GET", f"/api/v1/sites/{board.slug}/tasks").get_json()
    assert body["date"] == board.today.isoformat()
    [task] = body["tasks"]
    assert task["id"] == board.task_id
    assert (task["title"], task["capacity"], task["free"], task["claimable"], task["status"]) == (
        "Roskien keruu",
        2,
        2,
        True,
        "open",
    )


def test_tasks_of_a_given_date_and_language(app, api, board):
    tomorrow = board.today + timedelta(days=1)
    task_id = add_task(app, board.site_id, date=tomorrow, title="Huomenna", title_en="Tomorrow")
    body = api("GET", f"/api/v1/sites/{board.slug}/tasks?date={tomorrow}&lang=en").get_json()
    assert [(t["id"], t["title"], t["claimable"]) for t in body["tasks"]] == [(task_id, "Tomorrow", False)]


@pytest.mark.parametrize("raw", ["tomorrow", "2024-13-01", "2024-02-30", "1.1.2024", "x" * 300])
def test_a_bad_date_is_a_400_json_error(api, board, raw):
    response = api("GET", f"/api/v1/sites/{board.slug}/tasks", query_string={"date": raw})
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_date"


def test_an_unknown_site_is_a_404_json_error(api, board):
    response = api("GET", "/api/v1/sites/ei-ole/tasks")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


# --- taking a place ------------------------------------------------------------------------------


def test_a_claim_gives_a_code_a_long_token_and_the_phone_url(app, api, board):
    response = api("POST", f"/api/v1/tasks/{board.task_id}/claims", token=board.token)
    assert response.status_code == 201
    claim = response.get_json()
    assert len(claim["code"]) == CODE_LENGTH
    assert set(claim["code"]) <= set(CODE_ALPHABET)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32,}", claim["token"])
    assert claim["status"] == "active"
    assert urlsplit(claim["phone_url"]).path == f"/c/{claim['token']}"
    assert response.headers["Location"].endswith(f"/api/v1/claims/{claim['token']}")
    assert (claim["task"]["id"], claim["task"]["free"]) == (board.task_id, 1)
    assert active_claims(app, board.task_id) == 1


def test_a_claim_through_the_api_runs_six_sql_statements(app, api, board):
    """The kiosk's token, the task, the lock, the task with its count, the INSERT and the answer's count."""
    with counted_queries(app) as statements:
        response = api("POST", f"/api/v1/tasks/{board.task_id}/claims", token=board.token)
    assert response.status_code == 201
    assert len(statements) <= 6, "\n".join(statements)
    assert response.get_json()["task"]["free"] == 1


def test_free_places_drop_on_claim_and_rise_on_release(api, board):
    assert free_places(api, board.slug, board.task_id) == 2
    token = api("POST", f"/api/v1/tasks/{board.task_id}/claims", token=board.token).get_json()["token"]
    assert free_places(api, board.slug, board.task_id) == 1
    assert api("DELETE", f"/api/v1/claims/{token}").status_code == 204
    assert free_places(api, board.slug, board.task_id) == 2


def _full_task(app, board) -> int:
    task_id = add_task(app, board.site_id, capacity=1)
    with app.app_context():
        claim_place(db.session.get(Task, task_id))
        db.session.commit()
    return task_id


REFUSED_TASKS = {
    "full": _full_task,
    "cancelled": lambda app, b: add_task(app, b.site_id, status=TaskStatus.CANCELLED, cancel_reason="Sade"),
    "closed": lambda app, b: add_task(app, b.site_id, date=b.today + timedelta(days=1)),
    "closed by staff": lambda app, b: add_task(app, b.site_id, status=TaskStatus.CLOSED),
    "ended": lambda app, b: add_task(app, b.site_id, date=b.today - timedelta(days=1)),
}


@pytest.mark.parametrize("case", REFUSED_TASKS)
def test_a_refused_claim_is_a_409_with_the_reason(app, api, board, case):
    task_id = REFUSED_TASKS[case](app, board)
    before = active_claims(app, task_id)
    response = api("POST", f"/api/v1/tasks/{task_id}/claims", token=board.token)
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == case.split()[0]
    assert body["message"]
    assert active_claims(app, task_id) == before


def _revoked(app, board) -> dict:
    with app.app_context():
        db.session.get(Kiosk, board.kiosk_id).revoked_at = utcnow()
        db.session.commit()
    return {"Authorization": f"Bearer {board.token}"}


UNAUTHORISED = {
    "no header": lambda app, b: {},
    "wrong scheme": lambda app, b: {"Authorization": f"Basic {b.token}"},
    "bare token": lambda app, b: {"Authorization": b.token},
    "empty bearer": lambda app, b: {"Authorization": "Bearer "},
    "bad token": lambda app, b: {"Authorization": f"Bearer {b.token[:-1]}x"},
    "overlong token": lambda app, b: {"Authorization": "Bearer " + "a" * 200},
    "revoked kiosk": _revoked,
}


@pytest.mark.parametrize("case", UNAUTHORISED)
def test_a_claim_needs_a_valid_kiosk_token(app, api, board, case):
    response = api("POST", f"/api/v1/tasks/{board.task_id}/claims", headers=UNAUTHORISED[case](app, board))
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    assert active_claims(app, board.task_id) == 0


def test_a_task_of_another_site_or_none_at_all_is_a_404(app, api, board):
    with app.app_context():
        other = make_task(make_site("toinen")).id
        db.session.commit()
    for task_id in (other, 999_999):
        response = api("POST", f"/api/v1/tasks/{task_id}/claims", token=board.token)
        assert response.status_code == 404
        assert response.get_json()["error"] == "not_found"
    assert active_claims(app, other) == 0


# --- a claim afterwards --------------------------------------------------------------------------


def test_a_claim_is_read_then_released_once(app, api, board):
    created = api("POST", f"/api/v1/tasks/{board.task_id}/claims", token=board.token).get_json()
    url = f"/api/v1/claims/{created['token']}"
    shown = api("GET", url).get_json()
    assert (shown["code"], shown["token"], shown["status"]) == (created["code"], created["token"], "active")
    assert api("DELETE", url).status_code == 204
    second = api("DELETE", url)
    assert second.status_code == 404
    assert second.get_json()["error"] == "not_found"
    assert api("GET", url).get_json()["status"] == "released"
    assert active_claims(app, board.task_id) == 0


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_an_unknown_claim_token_is_a_404(api, board, method):
    response = api(method, "/api/v1/claims/" + "x" * 32)
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_releasing_a_place_staff_cancelled_is_a_409_that_says_so(app, api, board):
    token = api("POST", f"/api/v1/tasks/{board.task_id}/claims", token=board.token).get_json()["token"]
    with app.app_context():
        db.session.execute(sa.update(Claim).values(status=ClaimStatus.CANCELLED))
        db.session.commit()
    response = api("DELETE", f"/api/v1/claims/{token}")
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "claim_cancelled",
        "message": "Staff cancelled this place; there is nothing to give back.",
    }
