"""Webhook endpoints through the API: creation with a secret shown once, listing, deletion, filters, idempotent
creation, tenant isolation, and targets refused on loopback and private addresses (the gateway's default)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from fleetgate.features.events.service import insert_event, queue_delivery
from fleetgate.features.webhooks.signing import open_secret, seal_secret
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import WebhookEndpoint
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant
from tests.support.polling import eventually
from tests.support.webhook_receiver import Receiver, running_receiver

# A global address: accepted, and never sent anything, as these tests queue no event for it.
PUBLIC_URL = "https://192.0.3.10/hooks/fleetgate"
PRIVATE_URLS = [
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://192.168.1.20/hook",
    "http://169.254.169.254/latest/meta-data",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[fd00::1]/hook",
    "http://0.0.0.0/hook",
    "http://224.0.0.1/hook",
    "http://100.64.0.1/hook",
]
# IPv6 addresses that lead to a private or loopback IPv4 one.
EMBEDDING_PRIVATE_IPV4 = [
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[2002:a00:1::1]/hook",  # 6to4 of 10.0.0.1
    "http://[::ffff:10.0.0.1]/hook",  # IPv4-mapped
    "http://[::127.0.0.1]/hook",  # IPv4-compatible
    "http://[::a00:1]/hook",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook",  # Teredo, client 127.0.0.1 (XOR-ed)
    "http://[2001:0:4136:e378:8000:63bf:f5ff:fefe]/hook",  # Teredo, client 10.0.1.1
    "http://[64:ff9b::7f00:1]/hook",  # NAT64 of 127.0.0.1
    "http://[64:ff9b::c0a8:114]/hook",  # NAT64 of 192.168.1.20
    "http://[64:ff9b:1::a00:1]/hook",  # local-use NAT64
    "http://[fe80::1]/hook",
    "http://[ff02::1]/hook",
    "http://[::]/hook",
]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


async def create(api: httpx.AsyncClient, url: str = PUBLIC_URL, **body: Any) -> dict[str, Any]:
    response = await api.post("/v1/webhook-endpoints", json={"url": url, **body})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


class TestCreate:
    async def test_answers_the_endpoint_and_its_secret_once(self, tenant: Tenant, gateway_runtime: Runtime) -> None:
        created = await create(tenant.client, events=["device.*", "connection.created"])
        assert created["id"].startswith("whe_")
        assert created["url"] == PUBLIC_URL
        assert created["events"] == ["device.*", "connection.created"]
        assert created["enabled"] is True
        assert created["disabled_at"] is None
        assert created["consecutive_failures"] == 0
        secret = created["secret"]
        assert secret.startswith("whsec_")
        assert len(secret) >= len("whsec_") + 32

        one = await tenant.client.get(f"/v1/webhook-endpoints/{created['id']}")
        assert one.status_code == 200
        listed = await tenant.client.get("/v1/webhook-endpoints")
        assert listed.status_code == 200
        assert [item["id"] for item in listed.json()["data"]] == [created["id"]]
        for shown in (one.text, listed.text):
            assert secret not in shown
            assert "secret" not in shown
        without_secret = {key: value for key, value in created.items() if key != "secret"}
        assert one.json() == without_secret

        # At rest the secret is encrypted, bound to its row.
        async with gateway_runtime.engine.connect() as db:
            stored = (await db.execute(text("SELECT secret_enc FROM webhook_endpoints"))).scalar_one()
        assert secret not in stored
        assert open_secret(gateway_runtime.encryptor, created["id"], stored) == secret

    async def test_every_event_by_default(self, tenant: Tenant) -> None:
        assert (await create(tenant.client))["events"] == ["*"]

    async def test_secrets_differ_and_are_never_logged(self, tenant: Tenant, caplog: pytest.LogCaptureFixture) -> None:
        caplog.set_level(logging.DEBUG)
        first = await create(tenant.client)
        second = await create(tenant.client)
        assert first["secret"] != second["secret"]
        await tenant.client.get("/v1/webhook-endpoints")
        logged = "\n".join(f"{record.getMessage()} {record.args}" for record in caplog.records)
        for secret in (first["secret"], second["secret"]):
            assert secret not in logged
            assert secret.removeprefix("whsec_") not in logged

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"url": "ftp://example.com/hook"}, "url"),
            ({"url": "/relative"}, "url"),
            ({"url": "https://user:pass@192.0.3.10/hook"}, "url"),
            ({"url": PUBLIC_URL, "events": ["device.exploded"]}, "events"),
            ({"url": PUBLIC_URL, "events": []}, "events"),
            ({"url": PUBLIC_URL, "extra": True}, "extra"),
        ],
    )
    async def test_bad_input_is_refused_with_the_field(self, tenant: Tenant, body: dict[str, Any], field: str) -> None:
        response = await tenant.client.post("/v1/webhook-endpoints", json=body)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        fields = {error.get("field")} | {detail["field"] for detail in error.get("details", [])}
        assert field in fields, error

    async def test_an_idempotency_key_replays_the_same_endpoint(self, tenant: Tenant) -> None:
        headers = {"Idempotency-Key": "create-hook-1"}
        body = {"url": PUBLIC_URL, "events": ["device.*"]}
        first = await tenant.client.post("/v1/webhook-endpoints", json=body, headers=headers)
        again = await tenant.client.post("/v1/webhook-endpoints", json=body, headers=headers)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json() == first.json()
        other = await tenant.client.post("/v1/webhook-endpoints", json={**body, "events": ["*"]}, headers=headers)
        assert other.status_code == 409
        assert other.json()["error"]["code"] == "idempotency_conflict"
        assert len((await tenant.client.get("/v1/webhook-endpoints")).json()["data"]) == 1


class TestPrivateTargets:
    @pytest.mark.parametrize("url", PRIVATE_URLS + EMBEDDING_PRIVATE_IPV4)
    async def test_are_refused_with_a_remedy(self, tenant: Tenant, url: str) -> None:
        response = await tenant.client.post("/v1/webhook-endpoints", json={"url": url})
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "webhook_target_not_allowed"
        assert error["field"] == "url"
        assert error["remedy"]["setting"] == "FLEETGATE_WEBHOOK_ALLOW_PRIVATE_TARGETS"
        assert (await tenant.client.get("/v1/webhook-endpoints")).json()["data"] == []

    @pytest.mark.parametrize("host", ["receiver", "localhost", "[::ffff:127.0.0.1]", "[2002:7f00:1::]"])
    async def test_are_checked_again_before_each_attempt(
        self, tenant: Tenant, gateway_runtime: Runtime, receiver: Receiver, host: str
    ) -> None:
        """An endpoint whose host has come to resolve to a private address (written here as if it had been
        accepted before: the receiver's own address, a name that resolves to loopback, IPv6 forms of loopback)
        gets nothing: the attempt fails and says why."""
        url = receiver.url("rebound")
        if host != "receiver":
            url = url.replace("127.0.0.1", host)
        async with gateway_runtime.sessionmaker() as session, session.begin():
            endpoint = WebhookEndpoint(
                id="whe_rebound",
                workspace_id=tenant.workspace_id,
                url=url,
                events=["*"],
                secret_enc=seal_secret(gateway_runtime.encryptor, "whe_rebound", "whsec_" + "A" * 44),
                created_at=utcnow(),
            )
            session.add(endpoint)
            await session.flush()
            event = insert_event(session, workspace_id=tenant.workspace_id, type="webhook.test", data={})
            queue_delivery(session, event, endpoint)

        async def attempted() -> dict[str, Any] | None:
            page = (await tenant.client.get("/v1/webhook-endpoints/whe_rebound/deliveries")).json()["data"]
            return page[0] if page and page[0]["attempts"] else None

        delivery = await eventually(attempted, what="the first attempt")
        assert delivery["attempt_log"][0]["status_code"] is None
        assert delivery["attempt_log"][0]["error"].startswith("Refused target")
        assert receiver.received() == []


class TestDelete:
    async def test_deletes_and_answers_404_afterwards(self, tenant: Tenant, gateway_runtime: Runtime) -> None:
        created = await create(tenant.client)
        deleted = await tenant.client.delete(f"/v1/webhook-endpoints/{created['id']}")
        assert deleted.status_code == 204
        assert (await tenant.client.get(f"/v1/webhook-endpoints/{created['id']}")).status_code == 404
        assert (await tenant.client.delete(f"/v1/webhook-endpoints/{created['id']}")).status_code == 404
        async with gateway_runtime.sessionmaker() as session:
            assert (await session.scalars(select(WebhookEndpoint))).all() == []


class TestTenantIsolation:
    async def test_another_workspaces_endpoints_answer_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        created = await create(tenant.client)
        base = f"/v1/webhook-endpoints/{created['id']}"
        for method, path in (
            ("GET", base),
            ("DELETE", base),
            ("POST", f"{base}/enable"),
            ("POST", f"{base}/test"),
            ("GET", f"{base}/deliveries"),
        ):
            response = await other_tenant.client.request(method, path)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["error"]["code"] == "not_found"
        assert (await other_tenant.client.get("/v1/webhook-endpoints")).json()["data"] == []
        assert (await tenant.client.get(base)).status_code == 200
