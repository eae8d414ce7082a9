"""Sending commands to linked vehicles and energy sites, and waiting for a command's end."""

from __future__ import annotations

from typing import Any

import httpx

from fleetgate.features.commands.status import TERMINAL
from tests.gateway.flows import LinkedDevice
from tests.support.polling import eventually


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
    api: httpx.AsyncClient, sim: httpx.AsyncClient, target: LinkedDevice
) -> tuple[dict[str, Any], dict[str, Any]]:
    """`flash_lights` in progress for 3 s, `honk_horn` queued behind it: the car's queue caught mid-way."""
    await slow_down(sim, target.external_id, 3000)
    running = await submit(api, target.id, "flash_lights")
    waiting = await submit(api, target.id, "honk_horn")
    await until(api, running["id"], frozenset({"in_progress"}))
    return running, waiting
