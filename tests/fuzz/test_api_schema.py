"""schemathesis against the API's own OpenAPI document: every operation, generated valid and invalid
requests, with and without a kiosk's token. Whatever comes in, the answer is never a 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

pytestmark = pytest.mark.slow

# Per operation and generation mode: 7 operations x 2 modes x 2 tokens x 2 databases, about 40 s on two cores.
EXAMPLES = 4


def fuzz(operation, mode, headers: dict, seen: list) -> None:
    # Always tried first: the NUL byte that PostgreSQL refuses, in every path and query parameter.
    nul = {"path_parameters": {p.name: "a\x00b" for p in operation.path_parameters}}
    nul["query"] = {p.name: "a\x00b" for p in operation.query}

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    @example(case=operation.Case(**nul))
    def call(case):
        response = case.call(headers=headers)
        seen.append((operation.label, response.status_code))
        assert response.status_code < 500, (operation.label, case.path_parameters, case.query)

    try:
        call()
    except Unsatisfiable:
        # No invalid request exists for an operation without parameters (GET /sites).
        assert mode == GenerationMode.NEGATIVE, operation.label


@pytest.mark.parametrize("with_token", [True, False], ids=["kiosk-token", "no-token"])
def test_no_api_request_gives_a_server_error(app, world, with_token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    headers = {"Authorization": f"Bearer {world.api_token}"} if with_token else {}
    seen: list[tuple[str, int]] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, headers, seen)
    assert {label for label, _ in seen} == {o.label for o in operations}
