"""Building the Tesla client against a seeded simulator, and reading what the simulator saw."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import Region, TeslaEndpoints
from fleetgate.tesla.fleet import FleetSession, StaticToken, TokenSource
from fleetgate.tesla.signing.commander import SignedCommander
from tests.simulator.factories import ALL_USER_SCOPES, SimFactory

SIGNED_COMMAND_ROUTE = "POST /vehicles/{vehicle_tag}/signed_command"  # as the usage report names the route


@dataclass
class Connected:
    """One app, one user with one vehicle, and the client's session for that user."""

    app: dict[str, Any]
    account: dict[str, Any]
    vehicle: dict[str, Any]
    tokens: dict[str, Any]
    session: FleetSession
    api: FleetApi

    @property
    def vin(self) -> str:
        return str(self.vehicle["vin"])

    @property
    def client_id(self) -> str:
        return str(self.app["client_id"])

    def commander(self, clock: Callable[[], float] | None = None) -> SignedCommander:
        commander = SignedCommander(self.app["private_key"])
        if clock is not None:
            commander.clock = clock
        return commander


async def connect(
    factory: SimFactory,
    http: httpx.AsyncClient,
    endpoints: TeslaEndpoints,
    *,
    scopes: str = ALL_USER_SCOPES,
    region: Region = "na",
    session_region: Region | None = None,
    pair: str | None = None,
    tokens: TokenSource | None = None,
    **vehicle: Any,
) -> Connected:
    """`factory.setup`, a `FleetSession` over `http` (in `session_region`, the user's own by default) and, with
    `pair`, the app's key paired with that role."""
    env = await factory.setup(scopes=scopes, region=region, **vehicle)
    if pair is not None:
        await factory.pair(env["vehicle"]["vin"], env["app"]["public_key_pem"], role=pair)
    session = FleetSession(
        http,
        endpoints,
        tokens or StaticToken(env["tokens"]["access_token"]),
        session_region or region,
    )
    return Connected(env["app"], env["account"], env["vehicle"], env["tokens"], session, FleetApi(session))


async def vehicle_state(sim: httpx.AsyncClient, vin: str) -> dict[str, Any]:
    response = await sim.get(f"/sim/vehicles/{vin}")
    assert response.status_code == 200, response.text
    state: dict[str, Any] = response.json()
    return state


async def executed(sim: httpx.AsyncClient, vin: str, name: str | None = None) -> list[dict[str, Any]]:
    commands = (await vehicle_state(sim, vin))["executed_commands"]
    return [c for c in commands if name is None or c["name"] == name]


async def usage(sim: httpx.AsyncClient) -> dict[str, Any]:
    response = await sim.get("/sim/usage")
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


async def billed_commands(sim: httpx.AsyncClient, client_id: str, vin: str) -> int:
    """Calls billed as `commands` to this vehicle: every signed_command answer under 500, handshakes included."""
    devices = (await usage(sim))["clients"].get(client_id, {}).get("devices", {})
    return int(devices.get(vin, {}).get("commands", 0))


async def endpoint_calls(sim: httpx.AsyncClient, client_id: str, route: str) -> int:
    return int((await usage(sim))["endpoints"].get(client_id, {}).get(route, 0))


async def add_fault(sim: httpx.AsyncClient, **fault: Any) -> dict[str, Any]:
    response = await sim.post("/sim/faults", json=fault)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def patch_vehicle(sim: httpx.AsyncClient, vin: str, **changes: Any) -> dict[str, Any]:
    response = await sim.patch(f"/sim/vehicles/{vin}", json=changes)
    assert response.status_code == 200, response.text
    state: dict[str, Any] = response.json()
    return state
