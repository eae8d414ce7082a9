"""Webhook deliveries to a receiver on a real loopback port, which verifies each one with the Standard Webhooks
library and the secret returned at creation: events as they happen, retries by the schedule after failures, an
endpoint disabled after failing again and again and enabled on demand, a test event on demand, and the outbox
(nothing sent before the transaction that recorded the event commits, nothing at all if it rolls back)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from fleetgate.app import create_app
from fleetgate.config import Settings
from fleetgate.features.events.service import record_event
from fleetgate.features.webhooks.delivery import RESPONSE_BODY_LIMIT
from fleetgate.features.webhooks.dispatch import dispatch_due
from fleetgate.infra.models import Event, WebhookDelivery
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.support.polling import eventually
from tests.support.webhook_receiver import Receiver, running_receiver

SCHEDULE = [0.05, 0.1, 0.1, 0.1]
DISABLE_AFTER = 3


@pytest.fixture
def gateway_settings(gateway_settings: Settings) -> Settings:
    # A long poll: deliveries arriving at all prove that a commit wakes the dispatcher, and that retries are
    # scheduled by their due time.
    return gateway_settings.model_copy(
        update={
            "webhook_allow_private_targets": True,
            "webhook_retry_schedule_seconds": SCHEDULE,
            "webhook_poll_interval_seconds": 60.0,
            "webhook_disable_after_failures": DISABLE_AFTER,
            "webhook_disable_after_seconds": 0.0,
        }
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


async def endpoint(api: httpx.AsyncClient, receiver: Receiver, name: str, events: list[str] | None = None) -> str:
    body: dict[str, Any] = {"url": receiver.url(name)}
    if events is not None:
        body["events"] = events
    response = await api.post("/v1/webhook-endpoints", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    receiver.expect(name, created["secret"])
    endpoint_id: str = created["id"]
    return endpoint_id


async def deliveries(api: httpx.AsyncClient, endpoint_id: str, **params: str) -> list[dict[str, Any]]:
    response = await api.get(f"/v1/webhook-endpoints/{endpoint_id}/deliveries", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


async def settled(api: httpx.AsyncClient, endpoint_id: str, count: int = 1) -> list[dict[str, Any]]:
    """The endpoint's deliveries once `count` of them are no longer pending."""
    return await eventually(
        lambda: deliveries(api, endpoint_id),
        until=lambda found: sum(item["status"] != "pending" for item in found) >= count,
        what=f"{count} settled deliveries to {endpoint_id}",
    )


async def send_test(api: httpx.AsyncClient, endpoint_id: str) -> dict[str, Any]:
    response = await api.post(f"/v1/webhook-endpoints/{endpoint_id}/test")
    assert response.status_code == 202, response.text
    queued: dict[str, Any] = response.json()
    return queued


class TestEvents:
    async def test_arrive_signed_with_the_payload_of_the_event_log(
        self, connect: Connector, tenant: Tenant, receiver: Receiver
    ) -> None:
        devices_only = await endpoint(tenant.client, receiver, "devices", ["device.*"])
        everything = await endpoint(tenant.client, receiver, "all")
        linked = await connect(energy_sites=1)

        await settled(tenant.client, everything, 3)
        await settled(tenant.client, devices_only, 2)
        # Sent concurrently: the order of arrival is not the order of the events.
        got_all = sorted(receiver.received("all"), key=lambda item: item.payload["created_at"])
        got_devices = receiver.received("devices")
        assert [item.payload["type"] for item in got_all] == ["connection.created", *["device.discovered"] * 2]
        assert [item.payload["type"] for item in got_devices] == ["device.discovered"] * 2
        for item in [*got_all, *got_devices]:
            assert item.verified, item.headers
            assert item.status == 200
            assert item.headers["content-type"] == "application/json"
            assert item.headers["webhook-id"] == item.payload["id"]
            listed = await tenant.client.get(f"/v1/events/{item.payload['id']}")
            assert listed.json() == item.payload
        assert sorted(item.payload["data"].get("vin", "") for item in got_devices) == sorted(
            ["", linked.account.vins[0]]
        )

        found = await deliveries(tenant.client, everything)
        assert [item["event_type"] for item in found] == [  # newest first
            "device.discovered",
            "device.discovered",
            "connection.created",
        ]
        for item in found:
            assert item["status"] == "succeeded"
            assert item["attempts"] == 1
            (only,) = item["attempt_log"]
            assert only["succeeded"] is True
            assert only["status_code"] == 200
            assert only["response_body"] == "ok"
            assert only["error"] is None

    async def test_a_test_event_on_demand_goes_to_that_endpoint_only(self, tenant: Tenant, receiver: Receiver) -> None:
        target = await endpoint(tenant.client, receiver, "target", ["virtual_key.paired"])
        await endpoint(tenant.client, receiver, "bystander")
        queued = await send_test(tenant.client, target)
        assert queued["status"] == "pending"
        assert queued["event_type"] == "webhook.test"

        (delivery,) = await settled(tenant.client, target)
        assert delivery["id"] == queued["id"]
        assert delivery["status"] == "succeeded"
        (got,) = receiver.received("target")
        assert got.verified
        assert got.payload["type"] == "webhook.test"
        assert got.payload["data"]["webhook_endpoint_id"] == target
        assert got.headers["webhook-id"] == delivery["event_id"]
        assert receiver.received("bystander") == []


class TestRetries:
    async def test_follow_the_schedule_until_the_endpoint_answers(self, tenant: Tenant, receiver: Receiver) -> None:
        target = await endpoint(tenant.client, receiver, "flaky")
        receiver.fail("flaky", 2)
        await send_test(tenant.client, target)

        (delivery,) = await settled(tenant.client, target)
        assert delivery["status"] == "succeeded"
        assert delivery["attempts"] == 3
        log = delivery["attempt_log"]
        assert [item["number"] for item in log] == [1, 2, 3]
        assert [item["status_code"] for item in log] == [500, 500, 200]
        assert [item["succeeded"] for item in log] == [False, False, True]
        for failed in log[:2]:
            assert failed["error"] == "The endpoint answered HTTP 500."
            assert len(failed["response_body"]) == RESPONSE_BODY_LIMIT
        # Each retry waited at least its delay of the schedule.
        for before, after, delay in zip(log, log[1:], SCHEDULE, strict=False):
            gap = timestamp(after["at"]) - timestamp(before["at"])
            assert gap >= delay * 0.99, (gap, delay)

        got = receiver.received("flaky")
        assert [item.status for item in got] == [500, 500, 200]
        assert all(item.verified for item in got)
        # The same message each time (the receiver de-duplicates on it), signed anew.
        assert len({item.headers["webhook-id"] for item in got}) == 1
        assert len({item.body for item in got}) == 1

    async def test_a_receiver_that_keeps_failing_gets_the_endpoint_disabled_until_enabled(
        self, tenant: Tenant, receiver: Receiver, gateway_runtime: Runtime
    ) -> None:
        target = await endpoint(tenant.client, receiver, "down")
        receiver.fail("down", None)
        await send_test(tenant.client, target)

        (delivery,) = await settled(tenant.client, target)
        assert delivery["status"] == "failed"
        assert delivery["attempts"] == DISABLE_AFTER
        assert delivery["next_attempt_at"] is None
        shown = (await tenant.client.get(f"/v1/webhook-endpoints/{target}")).json()
        assert shown["enabled"] is False
        assert shown["disabled_at"] is not None
        assert f"{DISABLE_AFTER} failed attempts in a row" in shown["disabled_reason"]
        assert shown["consecutive_failures"] == DISABLE_AFTER

        # Disabled: no test event, and new events are not queued for it.
        refused = await tenant.client.post(f"/v1/webhook-endpoints/{target}/test")
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "webhook_endpoint_disabled"
        assert refused.json()["error"]["remedy"]["path"] == f"/v1/webhook-endpoints/{target}/enable"
        async with gateway_runtime.sessionmaker() as session, session.begin():
            await record_event(session, workspace_id=tenant.workspace_id, type="webhook.test", data={})
        assert len(await deliveries(tenant.client, target)) == 1

        receiver.fail("down", 0)
        enabled = await tenant.client.post(f"/v1/webhook-endpoints/{target}/enable")
        assert enabled.status_code == 200, enabled.text
        assert enabled.json()["enabled"] is True
        assert enabled.json()["disabled_reason"] is None
        assert enabled.json()["consecutive_failures"] == 0
        await send_test(tenant.client, target)
        found = await settled(tenant.client, target, 2)
        assert [item["status"] for item in found] == ["succeeded", "failed"]  # newest first
        assert await deliveries(tenant.client, target, status="failed") == found[1:]
        assert receiver.received("down")[-1].status == 200


class TestOutbox:
    async def test_nothing_is_sent_before_commit_nor_after_a_rollback(
        self, tenant: Tenant, receiver: Receiver, gateway_runtime: Runtime
    ) -> None:
        target = await endpoint(tenant.client, receiver, "outbox")

        async def stored() -> tuple[int, int]:
            async with gateway_runtime.sessionmaker() as reader:
                events = await reader.scalar(select(func.count()).select_from(Event))
                queued = await reader.scalar(select(func.count()).select_from(WebhookDelivery))
            return int(events or 0), int(queued or 0)

        async with gateway_runtime.sessionmaker() as session:
            await record_event(session, workspace_id=tenant.workspace_id, type="webhook.test", data={"n": 1})
            await session.flush()
            assert await stored() == (0, 0)  # invisible to the dispatcher until committed
            await session.rollback()
        assert await stored() == (0, 0)

        async with gateway_runtime.sessionmaker() as session:
            committed = await record_event(
                session, workspace_id=tenant.workspace_id, type="webhook.test", data={"n": 2}
            )
            await session.commit()
        (delivery,) = await settled(tenant.client, target)
        assert delivery["event_id"] == committed.id
        assert [item.payload["data"] for item in receiver.received("outbox")] == [{"n": 2}]


class TestSeveralDispatchers:
    async def test_each_delivery_is_sent_once(
        self,
        tenant: Tenant,
        receiver: Receiver,
        gateway_runtime: Runtime,
        gateway_settings: Settings,
        sim_app: FastAPI,
    ) -> None:
        """Two gateway processes on one database, each with its dispatcher, and passes run by hand on both at the
        same time (as worker processes would): every delivery is claimed by one of them only."""
        target = await endpoint(tenant.client, receiver, "shared")
        other_app = create_app(gateway_settings, tesla_transport=httpx.ASGITransport(app=sim_app))
        async with other_app.router.lifespan_context(other_app):
            other_runtime: Runtime = other_app.state.runtime
            async with gateway_runtime.sessionmaker() as session, session.begin():
                for number in range(30):
                    await record_event(
                        session, workspace_id=tenant.workspace_id, type="webhook.test", data={"n": number}
                    )
            await asyncio.gather(*(dispatch_due(runtime, limit=7) for runtime in [gateway_runtime, other_runtime] * 3))
            found = await settled(tenant.client, target, 30)

        assert {item["status"] for item in found} == {"succeeded"}
        assert {item["attempts"] for item in found} == {1}
        got = receiver.received("shared")
        assert len(got) == 30
        assert len({item.headers["webhook-id"] for item in got}) == 30
        assert sorted(item.payload["data"]["n"] for item in got) == list(range(30))


class TestSecrets:
    async def test_are_not_logged_while_delivering(
        self, tenant: Tenant, receiver: Receiver, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)
        response = await tenant.client.post("/v1/webhook-endpoints", json={"url": receiver.url("quiet")})
        secret = response.json()["secret"]
        receiver.expect("quiet", secret)
        receiver.fail("quiet", 1)
        await send_test(tenant.client, response.json()["id"])
        (delivery,) = await settled(tenant.client, response.json()["id"])
        assert delivery["status"] == "succeeded"
        listed = await tenant.client.get(f"/v1/webhook-endpoints/{response.json()['id']}/deliveries")
        assert secret not in listed.text
        logged = "\n".join(f"{record.getMessage()} {record.args}" for record in caplog.records)
        assert "webhook delivery" in logged
        assert secret not in logged
        assert secret.removeprefix("whsec_") not in logged


def timestamp(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


class TestRedelivery:
    async def test_a_failed_delivery_is_sent_again_once_its_endpoint_is_enabled(
        self, tenant: Tenant, other_tenant: Tenant, receiver: Receiver
    ) -> None:
        target = await endpoint(tenant.client, receiver, "redo")
        receiver.fail("redo", None)
        queued = await send_test(tenant.client, target)
        (failed,) = await settled(tenant.client, target)
        assert failed["status"] == "failed"
        path = f"/v1/webhook-endpoints/{target}/deliveries/{queued['id']}/redeliver"

        refused = await tenant.client.post(path)
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "webhook_endpoint_disabled"
        assert (await tenant.client.post(f"/v1/webhook-endpoints/{target}/enable")).status_code == 200
        receiver.fail("redo", 0)

        again = await tenant.client.post(path)
        assert again.status_code == 202, again.text
        assert again.json()["status"] == "pending"
        (done,) = await settled(tenant.client, target)
        assert done["status"] == "succeeded"
        assert done["attempts"] == failed["attempts"] + 1
        assert receiver.received("redo")[-1].status == 200

        assert (await other_tenant.client.post(path)).status_code == 404
        other = await endpoint(tenant.client, receiver, "elsewhere")
        wrong = await tenant.client.post(f"/v1/webhook-endpoints/{other}/deliveries/{queued['id']}/redeliver")
        assert wrong.status_code == 404
