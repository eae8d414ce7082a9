"""Lists come newest first, the cursor going on in its order; every list route refuses a cursor it could not have given
out with 400 `invalid_cursor`, in the error shape."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone

import httpx
import pytest

from fleetgate.infra.models import Customer
from fleetgate.infra.pagination import encode_cursor
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from tests.gateway.conftest import Tenant

LIST_ROUTES = [
    "/v1/customers",
    "/v1/connections",
    "/v1/devices",
    "/v1/devices/dev_nothing/commands",
    "/v1/commands",
    "/v1/events",
    "/v1/webhook-endpoints",
    "/v1/webhook-endpoints/whe_nothing/deliveries",
]


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def packed(value: object) -> str:
    return b64(json.dumps(value).encode())


MALFORMED = {
    "naive time": packed(["2026-12-05T05:21:40", 1]),
    "naive time, string id": packed(["2026-12-05T05:21:40", "cus_1"]),
    "unparseable time": packed(["yesterday", "cus_1"]),
    "number for the time": packed([1764912100, "cus_1"]),
    "number for the id": packed(["2026-12-05T05:21:40+00:00", 1]),
    "too short": packed(["2026-12-05T05:21:40+00:00"]),
    "too long": packed(["2026-12-05T05:21:40+00:00", "cus_1", "newest_first", "more"]),
    "unknown order": packed(["2026-12-05T05:21:40+00:00", "cus_1", "sideways"]),
    "an object": packed({"created_at": "2026-12-05T05:21:40+00:00", "id": "cus_1"}),
    "a string": packed("2026-12-05T05:21:40+00:00"),
    "not json": b64(b"[2026-12-05"),
    "not utf-8": b64(b"\xff\xfe\x00"),
    "not base64": "!!!not*base64!!!",
    "huge": "A" * 5000,
}


@pytest.mark.parametrize("route", LIST_ROUTES)
async def test_a_malformed_cursor_is_a_400_on_every_list_route(api: httpx.AsyncClient, route: str) -> None:
    for name, cursor in MALFORMED.items():
        response = await api.get(route, params={"cursor": cursor})
        assert response.status_code == 400, (name, response.text)
        error = response.json()["error"]
        assert error["code"] == "invalid_cursor", name
        assert error["field"] == "cursor"
        assert error["request_id"]


async def test_every_list_is_documented_newest_first_with_a_way_to_read_forwards(gateway: httpx.AsyncClient) -> None:
    paths = (await gateway.get("/openapi.json")).json()["paths"]
    lists = {
        path: {parameter["name"]: parameter for parameter in operation["parameters"]}
        for path, operations in paths.items()
        for operation in operations.values()
        if any(parameter["name"] == "cursor" for parameter in operation.get("parameters", ()))
    }
    templates = {
        route.replace("dev_nothing", "{device_id}").replace("whe_nothing", "{endpoint_id}") for route in LIST_ROUTES
    }
    assert set(lists) == templates
    for path, parameters in lists.items():
        assert "newest first" in parameters["limit"]["description"], path
        assert "newest first" in parameters["cursor"]["description"], path
        assert "oldest_first" in parameters["order"]["description"], path


async def references(api: httpx.AsyncClient, params: dict[str, str | int]) -> tuple[list[str], str | None]:
    response = await api.get("/v1/customers", params=params)
    assert response.status_code == 200, response.text
    page = response.json()
    return [c["reference_id"] for c in page["data"]], page["next_cursor"]


async def every_reference(api: httpx.AsyncClient, limit: int, **params: str) -> list[str]:
    seen, cursor = await references(api, {"limit": limit, **params})
    while cursor is not None:
        more, cursor = await references(api, {"limit": limit, "cursor": cursor})
        seen += more
    return seen


async def create_customers(api: httpx.AsyncClient, names: list[str]) -> None:
    for reference in names:
        created = await api.post("/v1/customers", json={"reference_id": reference})
        assert created.status_code == 201, created.text


class TestOrder:
    async def test_newest_first_with_the_cursor_following(self, api: httpx.AsyncClient) -> None:
        await create_customers(api, ["a", "b", "c", "d", "e"])
        assert (await references(api, {"limit": 1}))[0] == ["e"]
        assert await every_reference(api, 2) == ["e", "d", "c", "b", "a"]

    async def test_oldest_first_reads_forwards_and_its_cursor_keeps_that_order(self, api: httpx.AsyncClient) -> None:
        await create_customers(api, ["a", "b", "c"])
        assert await every_reference(api, 2, order="oldest_first") == ["a", "b", "c"]
        _, cursor = await references(api, {"limit": 1, "order": "oldest_first"})
        assert cursor is not None
        # Naming the cursor's own order is fine; the other one is refused rather than read in a surprising way.
        assert (await references(api, {"cursor": cursor, "order": "oldest_first"}))[0] == ["b", "c"]
        refused = await api.get("/v1/customers", params={"cursor": cursor, "order": "newest_first"})
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"]["code"] == "invalid_cursor"
        assert refused.json()["error"]["field"] == "order"

    async def test_an_unknown_order_is_a_422_naming_it(self, api: httpx.AsyncClient) -> None:
        response = await api.get("/v1/customers", params={"order": "sideways"})
        assert response.status_code == 422, response.text
        assert response.json()["error"]["details"][0]["field"] == "query.order"

    async def test_rows_of_the_same_instant_each_come_once(
        self, api: httpx.AsyncClient, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        instant = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
        async with gateway_runtime.sessionmaker() as session, session.begin():
            for reference in ("p", "q", "r", "s", "t"):
                session.add(
                    Customer(
                        id=new_id("cus"), workspace_id=tenant.workspace_id, reference_id=reference, created_at=instant
                    )
                )
        newest = await every_reference(api, 2)
        assert sorted(newest) == ["p", "q", "r", "s", "t"]
        assert await every_reference(api, 2, order="oldest_first") == list(reversed(newest))

    async def test_rows_created_while_paging_are_not_read_twice(self, api: httpx.AsyncClient) -> None:
        await create_customers(api, ["a", "b", "c"])
        first, cursor = await references(api, {"limit": 2})
        assert first == ["c", "b"]
        await create_customers(api, ["d"])
        assert cursor is not None
        assert (await references(api, {"cursor": cursor}))[0] == ["a"]

    async def test_a_cursor_from_when_lists_came_oldest_first_goes_on_that_way(self, api: httpx.AsyncClient) -> None:
        await create_customers(api, ["a", "b", "c"])
        oldest = (await api.get("/v1/customers", params={"limit": 1, "order": "oldest_first"})).json()["data"][0]
        earlier_cursor = packed([oldest["created_at"].replace("Z", "+00:00"), oldest["id"]])
        assert (await references(api, {"cursor": earlier_cursor}))[0] == ["b", "c"]


async def test_a_cursor_with_a_time_zone_still_pages(api: httpx.AsyncClient) -> None:
    for reference in ("a", "b", "c"):
        created = await api.post("/v1/customers", json={"reference_id": reference})
        assert created.status_code == 201, created.text
    first = (await api.get("/v1/customers", params={"limit": 2})).json()
    assert [c["reference_id"] for c in first["data"]] == ["c", "b"]
    rest = (await api.get("/v1/customers", params={"cursor": first["next_cursor"]})).json()
    assert [c["reference_id"] for c in rest["data"]] == ["a"]
    # Any offset is accepted, not only UTC's: the cursor names a moment.
    far_future = datetime(2999, 1, 1, tzinfo=timezone(timedelta(hours=2)))
    assert (
        len((await api.get("/v1/customers", params={"cursor": encode_cursor(far_future, "cus_")})).json()["data"]) == 3
    )
    forwards = encode_cursor(far_future, "cus_", "oldest_first")
    assert (await api.get("/v1/customers", params={"cursor": forwards})).json()["data"] == []
