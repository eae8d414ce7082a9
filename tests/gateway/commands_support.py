"""Linked vehicles and energy sites to send commands to, and a way to wait for a command's end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from fleetgate.features.commands.status import TERMINAL
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Linked, link_account, tesla_account
from tests.simulator.factories import SimFactory
from tests.support.polling import eventually


@dataclass
class Target:
    id: str
    external_id: str
    linked: Linked


async def linked_target(
    runtime: Runtime,
    sim: httpx.AsyncClient,
    factory: SimFactory,
    tenant: Tenant,
    tesla_app: dict[str, Any],
    *,
    kind: str = "vehicle",
    paired: bool = True,
    vehicle: dict[str, Any] | None = None,
    grant: list[str] | None = None,
    reference_id: str = "user-1",
    email: str = "owner@example.com",
) -> Target:
    account = await tesla_account(
        factory,
        email,
        vehicles=[vehicle or {}] if kind == "vehicle" else [],
        energy_sites=1 if kind == "energy_site" else 0,
    )
    if kind == "vehicle" and paired:
        await factory.pair(account.vins[0], tesla_app["public_key_pem"])
    linked = await link_account(
        runtime, sim, tenant.client, tenant.workspace_id, account, grant=grant, reference_id=reference_id
    )
    found = await tenant.client.get("/v1/devices", params={"type": kind, "connection_id": linked.connection_id})
    device = found.json()["data"][0]
    external = device["vin"] if kind == "vehicle" else str(device["energy_site_id"])
    return Target(device["id"], external, linked)


async def submit(
    api: httpx.AsyncClient,
    device_id: str,
    command: str,
    params: dict[str, Any] | None = None,
    *,
    expect: int = 202,
    headers: dict[str, str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    body = {"command": command, "params": params or {}, **fields}
    response = await api.post(f"/v1/devices/{device_id}/commands", json=body, headers=headers)
    assert response.status_code == expect, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def command(api: httpx.AsyncClient, command_id: str) -> dict[str, Any]:
    response = await api.get(f"/v1/commands/{command_id}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def until(api: httpx.AsyncClient, command_id: str, statuses: frozenset[str] = TERMINAL) -> dict[str, Any]:
    """Polls the API until the command reaches one of `statuses`."""
    return await eventually(
        lambda: command(api, command_id),
        until=lambda found: found["status"] in statuses,
        what=f"command {command_id} to be {' or '.join(sorted(statuses))}",
    )


async def finished(
    api: httpx.AsyncClient, device_id: str, name: str, params: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    queued = await submit(api, device_id, name, params, **fields)
    return await until(api, queued["id"])


async def sim_vehicle(sim: httpx.AsyncClient, vin: str) -> dict[str, Any]:
    found: dict[str, Any] = (await sim.get(f"/sim/vehicles/{vin}")).json()
    return found


async def slow_down(sim: httpx.AsyncClient, vin: str, latency_ms: int, count: int = 1) -> None:
    """The car's next `count` signed commands are answered `latency_ms` late (carried out at once)."""
    fault = {"path": "/signed_command", "vin": vin, "latency_ms": latency_ms, "count": count}
    assert (await sim.post("/sim/faults", json=fault)).status_code == 201


async def one_running_one_waiting(
    api: httpx.AsyncClient, sim: httpx.AsyncClient, target: Target
) -> tuple[dict[str, Any], dict[str, Any]]:
    """`flash_lights` in progress for 3 s, `honk_horn` queued behind it: the car's queue caught mid-way."""
    await slow_down(sim, target.external_id, 3000)
    running = await submit(api, target.id, "flash_lights")
    waiting = await submit(api, target.id, "honk_horn")
    await until(api, running["id"], frozenset({"in_progress"}))
    return running, waiting
