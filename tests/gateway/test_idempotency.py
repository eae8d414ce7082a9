"""`Idempotency-Key` under a race: two requests with the same key at the same moment, on each creating route, get
the one object the first committed (201 and 200), never a 409 asking to retry and never two objects."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_webhooks import PUBLIC_URL

KEY = {"Idempotency-Key": "the-same-key"}


async def at_once(api: httpx.AsyncClient, path: str, body: dict[str, Any], times: int = 4) -> list[httpx.Response]:
    return list(await asyncio.gather(*(api.post(path, json=body, headers=KEY) for _ in range(times))))


def one_object(responses: list[httpx.Response], created: int) -> dict[str, Any]:
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] * (len(responses) - 1) + [created], [response.text for response in responses]
    ids = {response.json()["id"] for response in responses}
    assert len(ids) == 1, ids
    first: dict[str, Any] = responses[0].json()
    return first


class TestSameKeyAtOnce:
    async def test_connect_sessions(self, api: httpx.AsyncClient) -> None:
        # A new customer too: each request would create the one for this reference.
        body = {"reference_id": "racing-user", "access": ["vehicle_data"]}
        session = one_object(await at_once(api, "/v1/connect-sessions", body), 201)
        customers = (await api.get("/v1/customers")).json()["data"]
        assert [customer["id"] for customer in customers] == [session["customer_id"]]

    async def test_webhook_endpoints(self, api: httpx.AsyncClient) -> None:
        endpoint = one_object(await at_once(api, "/v1/webhook-endpoints", {"url": PUBLIC_URL}), 201)
        listed = (await api.get("/v1/webhook-endpoints")).json()["data"]
        assert [found["id"] for found in listed] == [endpoint["id"]]

    async def test_commands(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect(paired=True)).vehicle
        path = f"/v1/devices/{car.id}/commands"
        command = one_object(await at_once(tenant.client, path, {"command": "honk_horn"}), 202)
        listed = (await tenant.client.get(path)).json()["data"]
        assert [found["id"] for found in listed] == [command["id"]]


@pytest.mark.parametrize("times", [2])
async def test_different_customers_at_once_are_each_created_once(api: httpx.AsyncClient, times: int) -> None:
    # Without a key: the same new reference from several requests is still one customer.
    bodies = [{"reference_id": "new-user", "access": ["vehicle_data"]} for _ in range(times)]
    responses = await asyncio.gather(*(api.post("/v1/connect-sessions", json=body) for body in bodies))
    assert [response.status_code for response in responses] == [201] * times, [r.text for r in responses]
    assert len({response.json()["customer_id"] for response in responses}) == 1
