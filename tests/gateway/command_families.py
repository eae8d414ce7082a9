"""What the per-family command tests share: a car that takes signed commands (the app's key paired) or one that
takes REST only, a command run to its end through the API, and what the car says it ran."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import httpx

from tests.gateway.commands_support import finished, sim_vehicle
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector, LinkedDevice

Via = Literal["signed", "rest"]
BOTH_WAYS: tuple[Via, ...] = ("signed", "rest")


@dataclass
class Car:
    device: LinkedDevice
    api: httpx.AsyncClient
    sim: httpx.AsyncClient

    @property
    def vin(self) -> str:
        return self.device.external_id

    async def run(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """The command through the gateway, to its end."""
        return await finished(self.api, self.device.id, name, params)

    async def succeeds(self, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        done = await self.run(name, params)
        assert done["status"] == "succeeded", done
        return done

    async def refused(self, name: str, params: dict[str, Any] | None = None) -> str:
        """The car's reason for refusing the command, as the gateway reports it."""
        done = await self.run(name, params)
        assert done["status"] == "failed", done
        assert done["error"]["code"] == "command_refused", done
        reason: str = done["reason"]
        assert reason in done["error"]["message"]
        return reason

    async def state(self) -> dict[str, Any]:
        return await sim_vehicle(self.sim, self.vin)

    async def patch(self, **fields: Any) -> None:
        response = await self.sim.patch(f"/sim/vehicles/{self.vin}", json=fields)
        assert response.status_code == 200, response.text

    async def drive_off(self) -> None:
        """The car sets off on a drive that lasts longer than the test."""
        response = await self.sim.post(f"/sim/vehicles/{self.vin}/drive", json={"distance_km": 50, "speed_kph": 30})
        assert response.status_code == 201, response.text

    async def last_run(self) -> dict[str, Any]:
        """The car's record of the last command it ran: name, params, via, result, reason."""
        executed: list[dict[str, Any]] = (await self.state())["executed_commands"]
        return executed[-1]


async def a_car(connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, via: Via, **fields: Any) -> Car:
    """A car linked to the tenant: `signed` requires signed commands and knows the app's key, `rest` has the
    protocol off. `fields` are the control API's (model, plugged_in...)."""
    if via == "signed":
        linked = await connect(vehicles=[fields], paired=True)
    else:
        linked = await connect(vehicles=[{**fields, "command_signing": "off"}])
    return Car(linked.vehicle, tenant.client, sim)
