"""The OpenAPI document describes the API as it answers: its key as a Bearer scheme, and the API's one error shape
for every error (FastAPI's `{"detail": [...]}` appears nowhere). Every answer the gateway tests get is also checked
against the document when their app closes (`tests.gateway.documented`)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from fleetgate.infra.openapi import ErrorBody
from fleetgate.tesla.keys import PUBLIC_KEY_PATH
from tests.gateway.conftest import Tenant

ERROR_REF = "#/components/schemas/ErrorBody"


async def document(gateway: httpx.AsyncClient) -> dict[str, Any]:
    answer = await gateway.get("/openapi.json")
    assert answer.status_code == 200
    loaded: dict[str, Any] = answer.json()
    return loaded


def api_operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in doc["paths"].items()
        if path.startswith("/v1/")
        for method, operation in operations.items()
    ]


async def test_the_api_key_is_a_bearer_scheme_every_api_operation_asks_for(gateway: httpx.AsyncClient) -> None:
    doc = await document(gateway)

    scheme = doc["components"]["securitySchemes"]["ApiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for method, path, operation in api_operations(doc):
        assert operation.get("security") == [{"ApiKey": []}], f"{method} {path}"


async def test_every_error_is_documented_in_the_apis_own_shape(gateway: httpx.AsyncClient) -> None:
    doc = await document(gateway)

    assert "HTTPValidationError" not in str(doc)
    for method, path, operation in api_operations(doc):
        responses = operation["responses"]
        assert {"401", "503"} <= set(responses), f"{method} {path}"
        if "{" in path:
            assert "404" in responses, f"{method} {path}"
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= set(responses), f"{method} {path}"
        for status, response in responses.items():
            if int(status) >= 400 and "content" in response:
                schema = response["content"]["application/json"]["schema"]
                assert schema.get("$ref", "").startswith("#/components/schemas/"), f"{method} {path} {status}"


async def test_the_documented_examples_are_what_the_api_answers(gateway: httpx.AsyncClient, tenant: Tenant) -> None:
    doc = await document(gateway)
    submit = doc["paths"]["/v1/devices/{device_id}/commands"]["post"]["responses"]
    answers = {
        "401": await gateway.get("/v1/customers"),
        "404": await tenant.client.post("/v1/devices/dev_none/commands", json={"command": "honk_horn"}),
        "415": await tenant.client.post("/v1/devices/dev_none/commands", content=b"{}"),
        "400": await tenant.client.post(
            "/v1/devices/dev_none/commands", content=b"{", headers={"Content-Type": "application/json"}
        ),
    }
    for status, answer in answers.items():
        assert str(answer.status_code) == status, answer.text
        ErrorBody.model_validate(answer.json())
        example = submit[status]["content"]["application/json"]["example"]
        ErrorBody.model_validate(example)
        assert example["error"]["code"] == answer.json()["error"]["code"]


async def test_every_operation_has_a_unique_id_and_a_summary_that_says_what_it_does(
    gateway: httpx.AsyncClient,
) -> None:
    """Generated clients name their functions after the operation ids, and docs list the summaries."""
    doc = await document(gateway)

    operations = [
        (method, path, operation) for path, methods in doc["paths"].items() for method, operation in methods.items()
    ]
    ids = [operation["operationId"] for _, _, operation in operations]
    assert len(ids) == len(set(ids)), sorted(ids)
    for method, path, operation in operations:
        operation_id, summary = operation["operationId"], operation.get("summary", "")
        assert re.fullmatch(r"[a-z]+(_[a-z]+)+", operation_id), f"{method} {path}: {operation_id}"
        # FastAPI's default summary is the route's name in title case: one is written for every operation.
        assert summary != operation_id.replace("_", " ").title(), f"{method} {path}: no summary of its own"
        assert len(summary.split()) >= 2, f"{method} {path}: {summary!r}"


async def test_the_public_key_is_documented_as_the_content_type_it_is_served_as(
    gateway: httpx.AsyncClient, tesla_app: dict[str, Any]
) -> None:
    doc = await document(gateway)
    answer = await gateway.get(PUBLIC_KEY_PATH)

    assert answer.status_code == 200
    served = answer.headers["content-type"].split(";", 1)[0]
    documented = doc["paths"][PUBLIC_KEY_PATH]["get"]["responses"]
    assert list(documented["200"]["content"]) == [served] == ["application/x-pem-file"]
    example = documented["200"]["content"][served]["example"]
    assert example.startswith("-----BEGIN PUBLIC KEY-----\n")
    assert answer.text.startswith("-----BEGIN PUBLIC KEY-----\n")
    assert list(documented["404"]["content"]) == ["application/json"]


async def test_a_connect_session_asks_for_at_least_one_access_in_the_schema_as_in_the_answer(
    gateway: httpx.AsyncClient, tenant: Tenant
) -> None:
    doc = await document(gateway)
    access = doc["components"]["schemas"]["ConnectSessionIn"]["properties"]["access"]
    assert access["minItems"] == 1

    answer = await tenant.client.post("/v1/connect-sessions", json={"reference_id": "user-1", "access": []})

    assert answer.status_code == 422, answer.text
    ErrorBody.model_validate(answer.json())
    error = answer.json()["error"]
    assert (error["code"], error["field"]) == ("validation_error", "access")
    assert "at least one" in error["message"]


async def test_a_query_parameter_is_given_or_left_out_never_null(gateway: httpx.AsyncClient) -> None:
    """Generated clients then name an enum parameter's type after it (`ListDevicesType`)."""
    for operations in (await document(gateway))["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                if parameter["in"] == "query":
                    assert "anyOf" not in parameter["schema"], parameter
                    assert parameter["schema"].get("type") != "null", parameter
