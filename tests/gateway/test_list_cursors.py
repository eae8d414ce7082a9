"""Every list route refuses a cursor it could not have given out with 400 `invalid_cursor`, in the error shape."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from fleetgate.infra.pagination import encode_cursor

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
    "too long": packed(["2026-12-05T05:21:40+00:00", "cus_1", "more"]),
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


async def test_a_cursor_with_a_time_zone_still_pages(api: httpx.AsyncClient) -> None:
    for reference in ("a", "b", "c"):
        created = await api.post("/v1/customers", json={"reference_id": reference})
        assert created.status_code == 201, created.text
    first = (await api.get("/v1/customers", params={"limit": 2})).json()
    assert [c["reference_id"] for c in first["data"]] == ["a", "b"]
    rest = (await api.get("/v1/customers", params={"cursor": first["next_cursor"]})).json()
    assert [c["reference_id"] for c in rest["data"]] == ["c"]
    # Any offset is accepted, not only UTC's: the cursor names a moment.
    far_future = encode_cursor(datetime(2999, 1, 1, tzinfo=timezone(timedelta(hours=2))), "cus_")
    assert (await api.get("/v1/customers", params={"cursor": far_future})).json()["data"] == []
