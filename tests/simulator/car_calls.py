"""One simulated car, spoken to as a client would (Fleet API REST commands, `vehicle_data`) and as a test sets it
up (the control API)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.simulator.factories import SimFactory

# 2026-01-05 was a Monday; the simulated cars keep UTC as their local time.
MONDAY_MIDNIGHT = 1_767_571_200.0
MINUTE = 60.0
HOUR = 3600.0
# Where a new car is parked.
HOME = {"lat": 37.4925, "lon": -121.9447}


async def new_car(factory: SimFactory, **fields: Any) -> dict[str, Any]:
    """A car that takes REST commands, with its account's token."""
    return await factory.setup(command_signing="allowed", **fields)


async def command(sim: httpx.AsyncClient, car: dict[str, Any], name: str, body: Any = None) -> httpx.Response:
    path = f"{car['base']}/vehicles/{car['vehicle']['vin']}/command/{name}"
    return await sim.post(path, json=body if body is not None else {}, headers=car["headers"])


async def answer(sim: httpx.AsyncClient, car: dict[str, Any], name: str, body: Any = None) -> dict[str, Any]:
    response = await command(sim, car, name, body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["response"]
    return result


async def done(sim: httpx.AsyncClient, car: dict[str, Any], name: str, body: Any = None) -> None:
    assert await answer(sim, car, name, body) == {"result": True, "reason": ""}, name


async def refused(sim: httpx.AsyncClient, car: dict[str, Any], name: str, body: Any = None) -> str:
    """The car's reason for refusing the command (it must refuse it)."""
    result = await answer(sim, car, name, body)
    assert result["result"] is False, (name, result)
    reason: str = result["reason"]
    return reason


async def data(sim: httpx.AsyncClient, car: dict[str, Any], *endpoints: str) -> dict[str, Any]:
    query = "%3B".join(endpoints)
    path = f"{car['base']}/vehicles/{car['vehicle']['vin']}/vehicle_data?endpoints={query}"
    response = await sim.get(path, headers=car["headers"])
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["response"]
    return result


async def inspect(sim: httpx.AsyncClient, car: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = (await sim.get(f"/sim/vehicles/{car['vehicle']['vin']}")).json()
    return result


async def patch(sim: httpx.AsyncClient, car: dict[str, Any], **fields: Any) -> dict[str, Any]:
    response = await sim.patch(f"/sim/vehicles/{car['vehicle']['vin']}", json=fields)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def drive_off(sim: httpx.AsyncClient, car: dict[str, Any], km: float = 50.0, speed_kph: float = 50.0) -> None:
    """Sets the car driving straight ahead; at the default speed it is an hour on the road."""
    response = await sim.post(
        f"/sim/vehicles/{car['vehicle']['vin']}/drive", json={"distance_km": km, "speed_kph": speed_kph}
    )
    assert response.status_code == 201, response.text


async def renew_token(factory: SimFactory, car: dict[str, Any]) -> None:
    """A fresh access token: the car's lasts 8 hours of simulated time, like Tesla's."""
    tokens = await factory.tokens(car["app"]["client_id"], car["account"]["id"])
    car["headers"] = {"Authorization": f"Bearer {tokens['access_token']}"}


async def wake(factory: SimFactory, sim: httpx.AsyncClient, car: dict[str, Any]) -> None:
    """Wakes the car (with a fresh token) and waits until it is online."""
    await renew_token(factory, car)
    response = await sim.post(f"{car['base']}/vehicles/{car['vehicle']['vin']}/wake_up", headers=car["headers"])
    assert response.status_code == 200, response.text
    await factory.advance(15.0)
    assert (await inspect(sim, car))["state"] == "online"
