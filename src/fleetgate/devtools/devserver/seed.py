"""Seeding `fleetgate dev` the way a real deployment is set up.

The app is created at "Tesla" (the simulator's control API, standing in for developer.tesla.com), then its domain is
registered in every region through the real partner flow, which makes the simulator download the gateway's public
key over HTTP. The demo Tesla account owns two vehicles (the app's key paired with one) and a Powerwall with solar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fleetgate.devtools.devserver.datadir import DevIdentity
from fleetgate.devtools.devserver.errors import DevError
from fleetgate.features.workspaces.service import create_api_key, create_workspace, set_branding
from fleetgate.infra.models import Workspace
from fleetgate.protocol.keys import public_key_pem
from fleetgate.simulator.demo import DEMO_EMAIL
from fleetgate.tesla.endpoints import REGIONS, TeslaEndpoints
from fleetgate.tesla.errors import TeslaError
from fleetgate.tesla.partner import Registration, register_domain

# One name for the app everywhere the end user meets it: the workspace (the hosted pages) and the app registered
# at "Tesla" (its consent and pairing pages).
APP_NAME = "Voltway"
ACCENT_COLOR = "#0f766e"
DEMO_REGION = "na"
# Fixed VINs, so the devices in the database match the re-seeded simulator after a restart.
PAIRED_VEHICLE = {
    "vin": "5YJ3E1EA4PF000001",
    "model": "Model 3",
    "display_name": "Demo Model 3",
    "plugged_in": True,
    "battery_level": 64,
}
UNPAIRED_VEHICLE = {
    "vin": "7SAYGDEE9PA000002",
    "model": "Model Y",
    "display_name": "Demo Model Y",
    "state": "asleep",
    "battery_level": 81,
}
ENERGY_SITE = {"site_name": "Demo Home", "battery": True, "solar": True}


@dataclass(frozen=True, slots=True)
class DemoVehicle:
    vin: str
    model: str
    paired: bool


@dataclass(frozen=True, slots=True)
class DemoAccount:
    id: str
    email: str
    region: str
    vehicles: tuple[DemoVehicle, ...]
    energy_site_id: int
    energy_site_name: str


@dataclass(frozen=True, slots=True)
class WorkspaceSeed:
    workspace_id: str
    name: str
    api_key: str
    created: bool


async def _create(sim: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await sim.post(path, json=body)
    if response.status_code != 201:
        raise DevError(f"the simulator refused POST {path}: {response.status_code} {response.text[:300]}")
    result: dict[str, Any] = response.json()
    return result


async def seed_simulator(
    sim: httpx.AsyncClient, identity: DevIdentity, *, redirect_uri: str, origin: str, key: ec.EllipticCurvePrivateKey
) -> DemoAccount:
    await _create(
        sim,
        "/sim/apps",
        {
            "name": APP_NAME,
            "client_id": identity.client_id,
            "client_secret": identity.client_secret,
            "redirect_uris": [redirect_uri],
            "allowed_origins": [origin],
        },
    )
    account = await _create(
        sim, "/sim/accounts", {"email": DEMO_EMAIL, "region": DEMO_REGION, "full_name": "Demo Driver"}
    )
    vehicles = []
    for body, paired in ((PAIRED_VEHICLE, True), (UNPAIRED_VEHICLE, False)):
        vehicle = await _create(sim, f"/sim/accounts/{account['id']}/vehicles", body)
        vehicles.append(DemoVehicle(vin=vehicle["vin"], model=str(body["model"]), paired=paired))
    # As if the owner had approved the app's key in the Tesla app for this car only.
    await _create(
        sim,
        f"/sim/vehicles/{PAIRED_VEHICLE['vin']}/keys",
        {"public_key": public_key_pem(key).decode(), "role": "owner"},
    )
    site = await _create(sim, f"/sim/accounts/{account['id']}/energy_sites", ENERGY_SITE)
    return DemoAccount(
        id=account["id"],
        email=account["email"],
        region=account["region"],
        vehicles=tuple(vehicles),
        energy_site_id=int(site["energy_site_id"]),
        energy_site_name=str(ENERGY_SITE["site_name"]),
    )


async def register_in_every_region(
    http: httpx.AsyncClient,
    endpoints: TeslaEndpoints,
    identity: DevIdentity,
    *,
    domain: str,
    key: ec.EllipticCurvePrivateKey,
) -> list[Registration]:
    """What `fleetgate partner register --region R` does, for na, eu and cn; the gateway must already listen."""
    registrations = []
    for region in REGIONS:
        try:
            registration = await register_domain(
                http,
                endpoints,
                client_id=identity.client_id,
                client_secret=identity.client_secret,
                region=region,
                domain=domain,
                key=key,
            )
        except TeslaError as exc:
            raise DevError(f"registering {domain} with the simulator in {region} failed: {exc.reason}") from exc
        registrations.append(registration)
    return registrations


async def seed_workspace(sessionmaker: async_sessionmaker[AsyncSession], workspace_id: str | None) -> WorkspaceSeed:
    """The demo workspace, created once; a new API key at every start, since keys are stored hashed."""
    async with sessionmaker() as session, session.begin():
        workspace = await session.get(Workspace, workspace_id) if workspace_id else None
        created = workspace is None
        if workspace is None:
            workspace = await create_workspace(session, APP_NAME)
        # A workspace seeded before workspaces had a display name shows the app's name all the same; what was set
        # through the API or the command line since stays.
        set_branding(
            workspace,
            {
                "display_name": workspace.display_name or APP_NAME,
                "accent_color": workspace.accent_color or ACCENT_COLOR,
            },
        )
        shown = workspace.display_name or workspace.name
        _, key = await create_api_key(session, workspace.id, "fleetgate dev")
    return WorkspaceSeed(workspace_id=workspace.id, name=shown, api_key=key.key, created=created)
