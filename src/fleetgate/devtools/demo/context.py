"""What the demo's steps share and pass on to each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from fleetgate.devtools.demo.api import DemoError, Gateway
from fleetgate.devtools.demo.narrator import Narrator
from fleetgate.devtools.demo.receiver import Receiver
from fleetgate.devtools.devserver.seed import DemoAccount


@dataclass
class Demo:
    gateway: Gateway
    browser: httpx.AsyncClient
    say: Narrator
    receiver: Receiver
    account: DemoAccount
    endpoint_id: str = ""
    connection_id: str = ""
    # Device ids by what the seed made: "paired", "unpaired" (the vehicles), "site".
    devices: dict[str, str] = field(default_factory=dict)

    @property
    def email(self) -> str:
        return self.account.email

    async def device(self, role: str) -> dict[str, Any]:
        return await self.gateway.get(f"/v1/devices/{self.devices[role]}")

    def know_devices(self, listed: list[dict[str, Any]]) -> None:
        paired = {vehicle.vin: vehicle.paired for vehicle in self.account.vehicles}
        for device in listed:
            if device["type"] == "energy_site" and device["energy_site_id"] == self.account.energy_site_id:
                self.devices["site"] = device["id"]
            elif device["type"] == "vehicle" and device["vin"] in paired:
                self.devices["paired" if paired[device["vin"]] else "unpaired"] = device["id"]
        missing = {"paired", "unpaired", "site"} - set(self.devices)
        if missing:
            raise DemoError(f"the connection lacks the seeded devices: {', '.join(sorted(missing))}")
