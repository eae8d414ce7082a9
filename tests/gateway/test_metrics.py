"""`GET /metrics`: Prometheus's text format with bounded labels — requests by route template, commands by name and
outcome, upstream calls by billing category, the deployment's command queue — and never an id or a VIN."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.gateway.commands_support import finished, one_running_one_waiting, submit, until
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector


async def scrape(gateway: httpx.AsyncClient) -> tuple[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    response = await gateway.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }
    return response.text, samples


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


class TestMetrics:
    async def test_commands_calls_and_requests_are_counted_without_ids(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(vehicles=[{"plugged_in": False}], paired=True)).vehicle
        assert (await finished(tenant.client, car.id, "door_lock"))["status"] == "succeeded"
        assert (await finished(tenant.client, car.id, "charge_start"))["status"] == "failed"

        text, samples = await scrape(gateway)
        assert value(samples, "fleetgate_commands_ended_total", command="door_lock", status="succeeded") == 1
        assert value(samples, "fleetgate_commands_ended_total", command="charge_start", status="failed") == 1
        assert value(samples, "fleetgate_command_seconds_count", command="door_lock", status="succeeded") == 1
        # A handshake per domain (door_lock: VCSEC; charge_start: infotainment) and the two commands, all billed as
        # commands and answered 200.
        assert value(samples, "fleetgate_upstream_calls_total", category="commands", status="200") == 4
        submitted = value(
            samples,
            "fleetgate_http_requests_total",
            method="POST",
            route="/v1/devices/{device_id}/commands",
            status="202",
        )
        assert submitted == 2
        assert value(samples, "fleetgate_commands", status="queued") == 0
        for secret in (car.id, car.external_id, tenant.api_key, tenant.workspace_id):
            assert secret not in text

    async def test_the_queue_depth_is_the_deployments(
        self, connect: Connector, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        _, waiting = await one_running_one_waiting(tenant.client, sim, car)
        _, samples = await scrape(gateway)
        assert value(samples, "fleetgate_commands", status="in_progress") == 1
        assert value(samples, "fleetgate_commands", status="queued") == 1
        await until(tenant.client, waiting["id"])
        _, samples = await scrape(gateway)
        assert value(samples, "fleetgate_commands", status="in_progress") == 0
        assert value(samples, "fleetgate_commands", status="queued") == 0

    async def test_every_end_is_counted_once_whoever_ends_the_command(
        self, connect: Connector, gateway: httpx.AsyncClient, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        running, waiting = await one_running_one_waiting(tenant.client, sim, car)
        short = await submit(tenant.client, car.id, "door_lock", expires_in=1)
        cancelled = await tenant.client.post(f"/v1/commands/{waiting['id']}/cancel")
        assert cancelled.status_code == 200, cancelled.text
        assert (await until(tenant.client, short["id"]))["status"] == "expired"
        assert (await until(tenant.client, running["id"]))["status"] == "succeeded"

        _, samples = await scrape(gateway)
        assert value(samples, "fleetgate_commands_ended_total", command="honk_horn", status="cancelled") == 1
        assert value(samples, "fleetgate_commands_ended_total", command="door_lock", status="expired") == 1
        assert value(samples, "fleetgate_commands_ended_total", command="flash_lights", status="succeeded") == 1


async def test_requests_are_labelled_by_their_whole_route_template(
    connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
) -> None:
    """Whatever router a route sits in, and however FastAPI keeps included routers, the label is the template the
    client called, never a part of it."""
    car = (await connect()).vehicle
    assert (await tenant.client.get(f"/v1/devices/{car.id}/state")).status_code == 200
    assert (await tenant.client.get("/v1/customers")).status_code == 200
    assert (await tenant.client.get(f"/v1/devices/{car.id}")).status_code == 200
    assert (await gateway.get("/console/login")).status_code == 200
    assert (await gateway.get("/no-such-page")).status_code == 404

    _, samples = await scrape(gateway)
    routes = {dict(labels)["route"] for name, labels in samples if name == "fleetgate_http_requests_total"}
    assert {
        "/v1/devices/{device_id}/state",
        "/v1/customers",
        "/v1/devices/{device_id}",
        "/console/login",
        "unmatched",
    } <= routes
    assert all(route == "unmatched" or route.startswith("/") for route in routes), routes
