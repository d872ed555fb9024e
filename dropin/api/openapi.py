"""The OpenAPI 3.1 document of the JSON API, built as a plain dict (no extra dependency)."""

from dropin.api.openapi_regions import region_paths, region_schemas
from dropin.categories import CATEGORIES
from dropin.claims.refusals import CLAIM_CANCELLED, REFUSAL_REASONS, Availability
from dropin.claims.service import CODE_ALPHABET, CODE_LENGTH
from dropin.models.claim import ClaimStatus
from dropin.models.task import TaskStatus
from dropin.models.task_content import Demand, Setting


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str, reasons: tuple[str, ...] | None = None) -> dict:
    if reasons is None:
        return _json(_ref("Error"), description)
    narrowed = {"allOf": [_ref("Error"), {"properties": {"error": {"enum": list(reasons)}}}]}
    return _json(narrowed, description)


def _object(properties: dict, description: str = "") -> dict:
    # Every key is always present (null when unknown), and no others: clients can rely on the shape.
    schema = {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NULLABLE_STRING = {"type": ["string", "null"]}
HHMM = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}


def _schemas() -> dict:
    return {
        "Site": _object(
            {
                "slug": STRING,
                "name": STRING,
                "timezone": {"type": "string", "description": "IANA zone, e.g. Europe/Helsinki"},
                "meal_time": {"type": ["string", "null"], "pattern": HHMM["pattern"]},
                "today": {"type": "string", "format": "date", "description": "Today in the site's zone"},
            }
        ),
        "Task": _object(
            {
                "id": INTEGER,
                "site": {"type": "string", "description": "Site slug"},
                "date": {"type": "string", "format": "date"},
                "title": {"type": "string", "description": "In the asked language (lang), Finnish by default"},
                "description": STRING,
                "category": {"type": "string", "enum": [c.slug for c in CATEGORIES]},
                "start_time": HHMM,
                "end_time": {**HHMM, "description": "00:00 is midnight: the task runs to the end of its day"},
                "place": STRING,
                "partner": {"type": ["string", "null"], "description": "Partner organisation's name"},
                "capacity": {"type": "integer", "minimum": 1},
                "free": {"type": "integer", "minimum": 0, "description": "Places not yet taken"},
                "status": {"type": "string", "enum": list(TaskStatus)},
                "cancel_reason": NULLABLE_STRING,
                "meal_included": BOOLEAN,
                "setting": {"type": "string", "enum": list(Setting)},
                "physical_demand": {"type": "string", "enum": list(Demand)},
                "bring": NULLABLE_STRING,
                "provided": NULLABLE_STRING,
                "claimable": {"type": "boolean", "description": "Whether a place can be taken right now"},
            }
        ),
        "Claim": _object(
            {
                "code": {
                    "type": "string",
                    "pattern": f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$",
                    "description": "Shown on the receipt",
                },
                "token": {
                    "type": "string",
                    "minLength": 32,
                    "description": "Secret of the visitor's phone page; shown once, stored hashed",
                },
                "status": {"type": "string", "enum": [ClaimStatus.ACTIVE, ClaimStatus.RELEASED, ClaimStatus.CANCELLED]},
                "phone_url": {"type": "string", "format": "uri"},
                "task": _ref("Task"),
            }
        ),
        "Error": _object(
            {
                "error": {"type": "string", "description": "Machine-readable reason, e.g. full or not_found"},
                "message": {"type": "string", "description": "For people"},
            }
        ),
        "SiteList": _object({"sites": {"type": "array", "items": _ref("Site")}}),
        "DayBoard": _object(
            {
                "site": _ref("Site"),
                "date": {"type": "string", "format": "date"},
                "tasks": {"type": "array", "items": _ref("Task")},
            }
        ),
        **region_schemas(),
    }


def _parameters() -> dict:
    def path(name: str, schema: dict, description: str) -> dict:
        return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}

    return {
        "slug": path("slug", STRING, "Site slug"),
        "task_id": path("task_id", INTEGER, "Task id"),
        "token": path("token", {"type": "string", "maxLength": 128}, "Phone token from the claim"),
        "idempotency_key": {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "pattern": "^[!-~]{1,255}$"},
            "description": (
                "A key of the client's choosing (e.g. a UUID), new for each place wanted. Send the same key "
                "again to retry safely after a lost answer: the retry gets the same claim back (201, the same "
                "body) and takes no second place. Keys are this kiosk's own; another kiosk's same key is "
                "another claim."
            ),
        },
        "lang": {
            "name": "lang",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": ["fi", "sv", "en"]},
            "description": "Language of titles and descriptions",
        },
    }


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _paths() -> dict:
    not_found = _error("No such resource")
    return {
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1 document",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
        "/api/v1/sites": {
            "get": {
                "operationId": "listSites",
                "summary": "Every site, by name",
                "responses": {"200": _json(_ref("SiteList"), "The sites")},
            }
        },
        "/api/v1/sites/{slug}/tasks": {
            "get": {
                "operationId": "listTasks",
                "summary": "A site's tasks of one day",
                "parameters": [
                    _param("slug"),
                    _param("lang"),
                    {
                        "name": "date",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "format": "date"},
                        "description": "YYYY-MM-DD; today in the site's zone when left out",
                    },
                ],
                "responses": {
                    "200": _json(_ref("DayBoard"), "The day's tasks, by start time"),
                    "400": _error("date is not YYYY-MM-DD", ("bad_date",)),
                    "404": not_found,
                },
            }
        },
        "/api/v1/tasks/{task_id}/claims": {
            "post": {
                "operationId": "claimPlace",
                "summary": "Take one place in a task of today",
                "security": [{"bearer": []}],
                "parameters": [_param("task_id"), _param("lang"), _param("idempotency_key")],
                "responses": {
                    "201": {
                        **_json(_ref("Claim"), "Place taken (or, for a retried Idempotency-Key, the place it took)"),
                        "headers": {"Location": {"schema": STRING, "description": "The claim's URL"}},
                    },
                    "400": _error("Idempotency-Key is not 1 to 255 visible ASCII characters", ("bad_idempotency_key",)),
                    "422": _error("Idempotency-Key already took a place in another task", ("idempotency_key_reused",)),
                    "429": {
                        **_error("This kiosk took places too fast (a few a minute)", ("too_many_claims",)),
                        "headers": {"Retry-After": {"schema": INTEGER, "description": "Seconds to wait"}},
                    },
                    "401": _error("Missing, malformed or revoked kiosk token", ("unauthorized",)),
                    "404": _error("No such task at this kiosk's site", ("not_found",)),
                    "409": _error("Place not given", REFUSAL_REASONS),
                },
            }
        },
        "/api/v1/claims/{token}": {
            "get": {
                "operationId": "getClaim",
                "summary": "A claim, active or not",
                "parameters": [_param("token"), _param("lang")],
                "responses": {"200": _json(_ref("Claim"), "The claim"), "404": not_found},
            },
            "delete": {
                "operationId": "releaseClaim",
                "summary": "Give the place back",
                "parameters": [_param("token")],
                "responses": {
                    "204": {"description": "Released"},
                    "404": _error("No such active claim", ("not_found",)),
                    "409": _error(
                        "Not released: the task is over, or staff cancelled the place",
                        (Availability.ENDED.value, Availability.CLOSED.value, CLAIM_CANCELLED),
                    ),
                },
            },
        },
        **region_paths(not_found, _param("lang")),
    }


def openapi_document() -> dict:
    """The API's OpenAPI 3.1 description; paths are full (/api/v1/..., and a region's /r/{region}/tasks.json)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "dropin API",
            "version": "1",
            "description": "Sites, a day's tasks, and taking and giving back places; regions and their open listings.",
        },
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "parameters": _parameters(),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An enrolled kiosk's API token (dropin enroll-kiosk SITE)",
                }
            },
        },
    }
