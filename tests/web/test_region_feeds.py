"""The region's open data: tasks.ics (by the icalendar library and by Mozilla's ical.js, the parser of
Thunderbird's calendar), tasks.json (by its schema in the OpenAPI document), GET /api/v1/regions;
cacheable with a strong ETag, and free of anything about visitors."""

import json
import shutil
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import jsonschema_rs
import pytest

from dropin.extensions import db
from dropin.models import Task
from tests.helpers import ROOT
from tests.web.region_world import TITLE_FI, TITLE_SV, build_region_world

ICAL_JS = ROOT / ".tools" / "node_modules" / "ical.js" / "dist" / "ical.js"


@pytest.fixture
def world(app):
    with app.app_context():
        return build_region_world()


def feed(client, path: str, **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response


def events(client, path="/r/alue/tasks.ics") -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(feed(client, path).data)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_the_ics_holds_one_event_per_task_of_the_week(client, world):
    found = events(client)
    assert set(found) == {"Roskien keruu rannalla", "Pullataikina", "Sämpylöiden leipominen", TITLE_FI}
    assert {str(event["UID"]) for event in found.values()} == {
        f"task-{world.running}@localhost",
        f"task-{world.cancelled}@localhost",
        f"task-{world.later}@localhost",
        f"task-{world.kallio_task}@localhost",
    }


def test_the_ics_round_trips_finnish_letters(client, world):
    found = events(client)
    assert TITLE_FI in found  # ä, Ä
    assert str(found[TITLE_FI]["LOCATION"]) == "Äijänsaari, Olohuone Satama, Satamakatu 3, Kotka"
    assert TITLE_SV in events(client, "/r/alue/tasks.ics?lang=sv")  # å, Å, ä
    assert "charset=utf-8" in feed(client, "/r/alue/tasks.ics").headers["Content-Type"]


def test_ics_times_status_and_last_modified(app, client, world):
    found = events(client)
    later = found[TITLE_FI]
    start, end = later.decoded("DTSTART"), later.decoded("DTEND")
    helsinki = start.astimezone(ZoneInfo("Europe/Helsinki"))
    assert (helsinki.date(), helsinki.hour, helsinki.minute) == (world.today + timedelta(days=2), 10, 0)
    assert (end - start).total_seconds() == 14 * 3600  # 10.00–24.00
    assert str(found["Pullataikina"]["STATUS"]) == "CANCELLED"
    assert str(later["STATUS"]) == "CONFIRMED"
    with app.app_context():
        updated = db.session.get(Task, world.later).updated_at
    assert later.decoded("LAST-MODIFIED") == updated.replace(microsecond=0)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_ics_parses_with_mozillas_ical_js(client, world):
    if not ICAL_JS.exists():
        pytest.fail("ical.js is missing: run `make js-deps`")
    body = feed(client, "/r/alue/tasks.ics").data
    parsed = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "parse_ics.mjs")],
        input=body,
        capture_output=True,
        check=True,
        env={"ICAL_JS": str(ICAL_JS), "PATH": "/usr/bin:/bin:/usr/local/bin"},
        timeout=30,
    )
    calendar = json.loads(parsed.stdout)
    by_title = {event["summary"]: event for event in calendar["events"]}
    assert calendar["name"] == "Oma alue"
    assert set(by_title) == {"Roskien keruu rannalla", "Pullataikina", "Sämpylöiden leipominen", TITLE_FI}
    later = by_title[TITLE_FI]
    assert later["uid"] == f"task-{world.later}@localhost"
    assert later["location"] == "Äijänsaari, Olohuone Satama, Satamakatu 3, Kotka"
    duration = datetime.fromisoformat(later["end"]) - datetime.fromisoformat(later["start"])
    assert duration.total_seconds() == 14 * 3600
    assert by_title["Pullataikina"]["status"] == "CANCELLED"


def test_the_json_matches_its_schema_in_the_openapi_document(client, world):
    document = feed(client, "/api/v1/openapi.json").get_json()
    operation = document["paths"]["/r/{region}/tasks.json"]["get"]
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": document["components"],
        **operation["responses"]["200"]["content"]["application/json"]["schema"],
    }
    validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
    for path in ("/r/alue/tasks.json", "/r/alue/tasks.json?lang=sv", "/r/ita/tasks.json"):
        body = feed(client, path).get_json()
        errors = [error.message for error in validator.iter_errors(body)]
        assert errors == [], path
    body = feed(client, "/r/alue/tasks.json").get_json()
    body["tasks"][0]["claim_code"] = world.code
    assert not validator.is_valid(body)  # the schema allows nothing else: it can fail


def test_the_json_lists_the_regions_tasks_and_sites(client, world):
    body = feed(client, "/r/alue/tasks.json?lang=sv").get_json()
    assert body["region"] == {"slug": "alue", "name": "Oma alue"}
    assert [site["slug"] for site in body["sites"]] == ["kallio", "satama"]
    assert body["sites"][1]["opening_hours"] == "mån–fre 10–16"
    tasks = {task["id"]: task for task in body["tasks"]}
    assert set(tasks) == {world.running, world.cancelled, world.later, world.kallio_task}
    assert tasks[world.later]["title"] == TITLE_SV
    assert tasks[world.later]["end_time"] == "00:00"
    assert (tasks[world.running]["free"], tasks[world.running]["state"]) == (3, "open")
    assert (tasks[world.cancelled]["state"], tasks[world.cancelled]["cancel_reason"]) == ("cancelled", "Uuni on rikki.")


def test_feeds_hold_nothing_about_visitors_and_set_no_cookie(client, world):
    for path in ("/r/alue/tasks.ics", "/r/alue/tasks.json", "/r/alue/tasks.ics?lang=en"):
        response = feed(client, path)
        text = response.get_data(as_text=True)
        assert world.code not in text, path
        assert world.phone_token not in text, path
        # (Vary: Cookie stays: Flask-Login looks at the session on every request. Feed readers send none.)
        assert "Set-Cookie" not in response.headers, path


@pytest.mark.parametrize("path", ["/r/alue/tasks.ics", "/r/alue/tasks.json"])
def test_feeds_are_cacheable_with_a_strong_etag(app, client, world, path):
    first = feed(client, path)
    etag = first.headers["ETag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    with app.app_context():
        db.session.get(Task, world.later).title = "Uusi otsikko"
        db.session.commit()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "Uusi otsikko" in changed.get_data(as_text=True)


def test_an_unknown_regions_feeds_are_404(client, world):
    response = client.get("/r/ei-ole/tasks.json")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    assert client.get("/r/ei-ole/tasks.ics").status_code == 404


def test_the_api_lists_regions_with_their_sites(client, world):
    response = client.get("/api/v1/regions")
    assert response.status_code == 200
    assert response.get_json() == {
        "regions": [
            {"slug": "alue", "name": "Oma alue", "sites": ["kallio", "satama"]},
            {"slug": "ita", "name": "Itäinen alue", "sites": ["kaukana"]},
        ]
    }
    document = client.get("/api/v1/openapi.json").get_json()
    schema = {"components": document["components"], "$ref": "#/components/schemas/RegionList"}
    assert jsonschema_rs.Draft202012Validator(schema).is_valid(response.get_json())
