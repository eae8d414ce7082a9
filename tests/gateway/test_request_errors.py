"""Requests the API cannot read: a body that is not JSON, a body not sent as JSON, an Authorization header that
holds no fleetgate key. Each gets its own status, code and remedy, in the API's error shape."""

from __future__ import annotations

import httpx
import pytest

from tests.gateway.conftest import Tenant

SESSION = {"reference_id": "user-1", "access": ["vehicle_data"]}


async def test_a_body_that_is_not_json_is_a_400_that_says_where(tenant: Tenant) -> None:
    answer = await tenant.client.post(
        "/v1/connect-sessions",
        content=b'{"reference_id": "user-1", }',
        headers={"Content-Type": "application/json"},
    )

    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error["code"] == "invalid_json"
    assert error["field"] == "body"
    assert "not valid JSON" in error["message"]
    assert "at character 27" in error["message"]


@pytest.mark.parametrize(("content_type", "named"), [(None, "missing"), ("text/plain", "`text/plain`")])
async def test_a_json_body_sent_as_something_else_is_a_415_with_the_header_to_send(
    tenant: Tenant, content_type: str | None, named: str
) -> None:
    request = tenant.client.build_request("POST", "/v1/connect-sessions", content=b'{"reference_id": "user-1"}')
    if content_type is None:
        request.headers.pop("Content-Type", None)
    else:
        request.headers["Content-Type"] = content_type
    answer = await tenant.client.send(request)

    assert answer.status_code == 415, answer.text
    error = answer.json()["error"]
    assert error["code"] == "unsupported_media_type"
    assert named in error["message"]
    assert error["remedy"] == {"header": "Content-Type: application/json"}


async def test_json_with_a_bad_field_still_names_the_field(tenant: Tenant) -> None:
    answer = await tenant.client.post("/v1/connect-sessions", json={**SESSION, "access": "vehicle_data"})

    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert [problem["field"] for problem in error["details"]] == ["access"]


@pytest.mark.parametrize(
    ("authorization", "says", "never_echoed"),
    [
        (None, "Send your API key as `Authorization: Bearer fg_…`", None),
        ("Basic dXNlcjpwYXNz", "uses the `Basic` scheme", "dXNlcjpwYXNz"),
        ("fg_1234abcd_thewholesecretsentwithoutascheme", "uses no scheme", "thewholesecret"),
        ("Bearer sk_live_someoneelsessecret", "is not a fleetgate API key", "someoneelsessecret"),
        ("Bearer", "missing or is not a fleetgate API key", None),
    ],
)
async def test_a_header_without_a_key_says_what_is_wrong_with_it(
    gateway: httpx.AsyncClient, authorization: str | None, says: str, never_echoed: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    answer = await gateway.get("/v1/customers", headers=headers)

    assert answer.status_code == 401, answer.text
    error = answer.json()["error"]
    assert error["code"] == "unauthenticated"
    assert says in error["message"]
    assert error["remedy"]["action"] == "create_api_key"
    if never_echoed is not None:
        assert never_echoed not in answer.text


async def test_a_missing_body_is_named_as_the_body(tenant: Tenant) -> None:
    answer = await tenant.client.post("/v1/connect-sessions", headers={"Content-Type": "application/json"})

    assert answer.status_code == 422, answer.text
    assert answer.json()["error"]["details"] == [{"field": "body", "problem": "Field required"}]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v1/customers", ["GET", "POST"]),
        ("PATCH", "/v1/connections/conn_nothing", ["GET", "DELETE"]),
        ("POST", "/v1/devices/dev_nothing/state", ["GET"]),
    ],
)
async def test_a_method_the_path_does_not_take_is_a_405_allowing_every_one_it_does(
    tenant: Tenant, method: str, path: str, allowed: list[str]
) -> None:
    answer = await tenant.client.request(method, path, json={})

    assert answer.status_code == 405, answer.text
    assert answer.headers["allow"] == ", ".join(allowed)
    error = answer.json()["error"]
    assert error["code"] == "method_not_allowed"
    assert error["remedy"] == {"allowed_methods": allowed}
    assert method in error["message"]
    assert error["request_id"] == answer.headers["x-request-id"]
