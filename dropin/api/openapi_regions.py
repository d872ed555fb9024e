"""The regions' part of the OpenAPI document: the list of regions and a region's open-data listing."""

from dropin.categories import CATEGORIES
from dropin.claims.refusals import Availability


def _object(properties: dict, description: str = "") -> dict:
    # As in openapi.py: every key always present (null when unknown), no others.
    schema = {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
SLUG = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
HHMM = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
MOMENT = {"type": "string", "format": "date-time"}


def region_schemas() -> dict:
    return {
        "Region": _object({"slug": SLUG, "name": STRING, "sites": {"type": "array", "items": SLUG}}),
        "RegionList": _object({"regions": {"type": "array", "items": _ref("Region")}}),
        "ListingSite": _object(
            {
                "slug": SLUG,
                "name": STRING,
                "address": NULLABLE_STRING,
                "opening_hours": {**NULLABLE_STRING, "description": "Free text, in the asked language if written"},
            }
        ),
        "ListingTask": _object(
            {
                "id": {"type": "integer", "description": "Stable for the task's life (the iCalendar UID has it)"},
                "site": {**SLUG, "description": "Site slug"},
                "date": {"type": "string", "format": "date"},
                "start_time": HHMM,
                "end_time": {**HHMM, "description": "00:00 is midnight: the task runs to the end of its day"},
                "starts_at": {**MOMENT, "description": "With the site's UTC offset"},
                "ends_at": MOMENT,
                "title": {"type": "string", "description": "In the asked language (lang), Finnish by default"},
                "description": STRING,
                "category": {"type": "string", "enum": [c.slug for c in CATEGORIES]},
                "place": STRING,
                "partner": {"type": ["string", "null"], "description": "Partner organisation's name"},
                "meal_included": {"type": "boolean"},
                "capacity": {"type": "integer", "minimum": 1},
                "free": {"type": "integer", "minimum": 0, "description": "Places not taken yet (taken at the space)"},
                "state": {
                    "type": "string",
                    "enum": [state.value for state in Availability],
                    "description": "open or full; cancelled; closed (its day is closed); ended",
                },
                "cancel_reason": NULLABLE_STRING,
                "updated_at": MOMENT,
            }
        ),
        "RegionListing": _object(
            {
                "region": _object({"slug": SLUG, "name": STRING}),
                "language": {"type": "string", "enum": ["fi", "sv", "en"]},
                "sites": {"type": "array", "items": _ref("ListingSite")},
                "tasks": {
                    "type": "array",
                    "items": _ref("ListingTask"),
                    "description": "Today and the next 7 days, by date, site and start time",
                },
            },
            "A region's public listing: nothing about visitors",
        ),
    }


def region_paths(not_found: dict, lang_param: dict) -> dict:
    region = {"name": "region", "in": "path", "required": True, "schema": STRING, "description": "Region slug"}
    return {
        "/api/v1/regions": {
            "get": {
                "operationId": "listRegions",
                "summary": "Every region, by slug, with its sites' slugs",
                "responses": {
                    "200": {
                        "description": "The regions",
                        "content": {"application/json": {"schema": _ref("RegionList")}},
                    }
                },
            }
        },
        "/r/{region}/tasks.json": {
            "get": {
                "operationId": "regionListing",
                "summary": "A region's tasks of today and the next 7 days (open data; its iCalendar twin is tasks.ics)",
                "parameters": [region, lang_param],
                "responses": {
                    "200": {
                        "description": (
                            "The listing. Cache-Control: public, max-age=60; a strong ETag, and 304 for If-None-Match"
                        ),
                        "headers": {"ETag": {"schema": STRING}},
                        "content": {"application/json": {"schema": _ref("RegionListing")}},
                    },
                    "304": {"description": "Not changed since the ETag given in If-None-Match"},
                    "404": not_found,
                },
            }
        },
    }
