"""The control API: seed the world, inspect it, inject faults, move the clock. JSON, no auth."""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, HTTPException, Request

from fleetgate.protocol.keys import KeyFormatError, public_key_from_text
from fleetgate.simulator.auth.service import default_audience, grant_consent, start_chain, token_response
from fleetgate.simulator.control import provisioning
from fleetgate.simulator.control.schemas import (
    AccountIn,
    AppIn,
    ClockIn,
    DriveIn,
    EnergySiteIn,
    EnergySitePatch,
    EquipmentIn,
    FaultIn,
    KeyIn,
    KeyPatch,
    PartnerAccountIn,
    TokensIn,
    VehicleIn,
    VehiclePatch,
)
from fleetgate.simulator.control.views import account_view, app_view, drive_view, energy_site_view, vehicle_view
from fleetgate.simulator.energy.site import EnergySite
from fleetgate.simulator.fleet.access import WorldDep, public_base
from fleetgate.simulator.vehicle_side.domains import reboot
from fleetgate.simulator.vehicles import driving
from fleetgate.simulator.vehicles.vehicle import Vehicle, WhitelistEntry
from fleetgate.simulator.world import Account, DeveloperApp, PartnerRegistration, World

router = APIRouter(prefix="/sim", tags=["simulator control"])


def _account(world: World, account_id: str) -> Account:
    account = world.accounts.get(account_id)
    if account is None:
        raise HTTPException(404, f"no account {account_id}")
    return account


def _vehicle(world: World, vin: str) -> Vehicle:
    vehicle = world.vehicles.get(vin)
    if vehicle is None:
        raise HTTPException(404, f"no vehicle {vin}")
    vehicle.advance(world.now())
    return vehicle


def _equip(vehicle: Vehicle, body: EquipmentIn | None) -> None:
    if body is not None:
        vehicle.equipment = replace(vehicle.equipment, **body.model_dump(exclude_none=True))


def _site(world: World, site_id: int) -> EnergySite:
    site = world.energy_sites.get(site_id)
    if site is None:
        raise HTTPException(404, f"no energy site {site_id}")
    # A change applies from now on, so the time before it must be simulated with the old settings first.
    site.advance(world.now())
    return site


@router.post("/reset")
async def reset(world: WorldDep) -> dict[str, bool]:
    world.reset()
    return {"ok": True}


@router.post("/apps", status_code=201)
async def create_app(body: AppIn, world: WorldDep) -> dict[str, Any]:
    client_id = body.client_id or world.new_uuid()
    if client_id in world.apps:
        raise HTTPException(409, f"client_id {client_id} already exists")
    app = DeveloperApp(
        client_id=client_id,
        client_secret=body.client_secret or f"ta-secret.{secrets.token_urlsafe(24)}",
        name=body.name,
        redirect_uris=body.redirect_uris,
        allowed_origins=body.allowed_origins,
    )
    world.apps[client_id] = app
    return app_view(app)


@router.get("/apps")
async def list_apps(world: WorldDep) -> dict[str, Any]:
    return {"data": [app_view(app) for app in world.apps.values()]}


@router.post("/apps/{client_id}/partner_accounts", status_code=201)
async def register_partner(client_id: str, body: PartnerAccountIn, world: WorldDep) -> dict[str, Any]:
    if client_id not in world.apps:
        raise HTTPException(404, f"no app {client_id}")
    try:
        key = public_key_from_text(body.public_key)
    except KeyFormatError as exc:
        raise HTTPException(422, str(exc)) from exc
    for region in body.regions:
        world.registrations[(client_id, region)] = PartnerRegistration(
            client_id=client_id,
            region=region,
            domain=body.domain.lower(),
            public_key=key,
            registered_at=world.now(),
        )
    return {"client_id": client_id, "domain": body.domain.lower(), "regions": body.regions}


@router.post("/accounts", status_code=201)
async def create_account(body: AccountIn, world: WorldDep) -> dict[str, Any]:
    if world.account_by_email(body.email) is not None:
        raise HTTPException(409, f"an account with email {body.email} already exists")
    return account_view(provisioning.create_account(world, body.email, body.region, body.full_name))


@router.get("/accounts")
async def list_accounts(world: WorldDep) -> dict[str, Any]:
    return {"data": [account_view(account) for account in world.accounts.values()]}


@router.post("/accounts/{account_id}/vehicles", status_code=201)
async def create_vehicle(account_id: str, body: VehicleIn, world: WorldDep) -> dict[str, Any]:
    account = _account(world, account_id)
    if body.vin is not None and body.vin in world.vehicles:
        raise HTTPException(409, f"vehicle {body.vin} already exists")
    vehicle = provisioning.create_vehicle(
        world, account, model=body.model, vin=body.vin, display_name=body.display_name
    )
    vehicle.command_signing = body.command_signing
    vehicle.online_state = body.state
    if body.firmware:
        vehicle.firmware = body.firmware
    if body.battery_level is not None:
        vehicle.battery_level = body.battery_level
    if body.charge_limit_soc is not None:
        vehicle.charge_limit_soc = body.charge_limit_soc
    if body.plugged_in or body.charging:
        vehicle.plugged_in = True
        vehicle.charging_state = "Charging" if body.charging else "Stopped"
    _equip(vehicle, body.equipment)
    return vehicle_view(vehicle)


@router.post("/accounts/{account_id}/energy_sites", status_code=201)
async def create_energy_site(account_id: str, body: EnergySiteIn, world: WorldDep) -> dict[str, Any]:
    account = _account(world, account_id)
    site = provisioning.create_energy_site(
        world,
        account,
        site_name=body.site_name,
        battery=body.battery,
        solar=body.solar,
        battery_count=body.battery_count,
    )
    if body.percentage_charged is not None:
        site.percentage_charged = body.percentage_charged
    return energy_site_view(site)


@router.post("/tokens", status_code=201)
async def issue_tokens(body: TokensIn, request: Request, world: WorldDep) -> dict[str, Any]:
    if body.client_id not in world.apps:
        raise HTTPException(404, f"no app {body.client_id}")
    account = _account(world, body.account_id)
    scopes = frozenset(body.scopes.split() if isinstance(body.scopes, str) else body.scopes)
    grant_consent(world, body.client_id, account.id, scopes)
    base = public_base(request)
    return token_response(
        world,
        base=base,
        client_id=body.client_id,
        account=account,
        scopes=scopes,
        audience=default_audience(base, account.region),
        chain_id=start_chain(world, body.client_id, account.id),
    )


@router.get("/vehicles/{vin}")
async def get_vehicle(vin: str, world: WorldDep) -> dict[str, Any]:
    return vehicle_view(_vehicle(world, vin))


@router.patch("/vehicles/{vin}")
async def patch_vehicle(vin: str, body: VehiclePatch, world: WorldDep) -> dict[str, Any]:
    vehicle = _vehicle(world, vin)
    now = world.now()
    changes = body.model_dump(exclude_unset=True, exclude={"reboot", "equipment"})
    _equip(vehicle, body.equipment)
    if "account_id" in changes:
        # A sold car keeps nothing of its previous owner: their third-party keys go with the ownership.
        _account(world, changes["account_id"])
        if changes["account_id"] != vehicle.account_id:
            vehicle.keys = [key for key in vehicle.keys if key.domain is None]
    if changes.get("plugged_in") is False:
        changes.setdefault("charging_state", "Disconnected")
    if changes.get("charging_state") == "Charging":
        changes.setdefault("plugged_in", True)
    if "state" in changes:  # Tesla's word for it in every payload; the vehicle's attribute says which state
        changes["online_state"] = changes.pop("state")
    for name, value in changes.items():
        setattr(vehicle, name, value)
    if "online_state" in changes:
        vehicle.wake_at = None
        vehicle.last_activity = now
    if body.reboot:
        reboot(vehicle.domains, world.rng, now)
    return vehicle_view(vehicle)


@router.post("/vehicles/{vin}/reboot")
async def reboot_vehicle(vin: str, world: WorldDep) -> dict[str, Any]:
    vehicle = _vehicle(world, vin)
    reboot(vehicle.domains, world.rng, world.now())
    return vehicle_view(vehicle)


@router.post("/vehicles/{vin}/drive", status_code=201)
async def start_drive(vin: str, body: DriveIn, world: WorldDep) -> dict[str, Any]:
    """Sets off now (from where a drive under way has got to); answers the drive's plan."""
    vehicle = _vehicle(world, vin)
    now = world.now()
    to = driving.Point(body.to.latitude, body.to.longitude) if body.to is not None else None
    try:
        drive = driving.plan(
            start=driving.Point(vehicle.latitude, vehicle.longitude),
            heading=vehicle.heading,
            to=to,
            km=body.distance_km,
            speed_kph=body.speed_kph,
            model=vehicle.model,
            now=now,
        )
    except driving.DriveRefused as exc:
        raise HTTPException(422, str(exc)) from exc
    try:
        vehicle.start_drive(drive, now)
    except driving.DriveRefused as exc:
        raise HTTPException(409, str(exc)) from exc
    return drive_view(vehicle)


@router.get("/vehicles/{vin}/drive")
async def read_drive(vin: str, world: WorldDep) -> dict[str, Any]:
    return drive_view(_vehicle(world, vin))


@router.delete("/vehicles/{vin}/drive")
async def park(vin: str, world: WorldDep) -> dict[str, Any]:
    """Parks the car where it has got to."""
    vehicle = _vehicle(world, vin)
    vehicle.park(world.now())
    return drive_view(vehicle)


@router.post("/vehicles/{vin}/keys", status_code=201)
async def pair_key(vin: str, body: KeyIn, world: WorldDep) -> dict[str, Any]:
    vehicle = _vehicle(world, vin)
    try:
        key = public_key_from_text(body.public_key)
    except KeyFormatError as exc:
        raise HTTPException(422, str(exc)) from exc
    role = body.role if isinstance(body.role, int) else provisioning.ROLES[body.role]
    existing = vehicle.key_entry(key)
    if existing is not None:
        existing.role, existing.active = role, True
    else:
        vehicle.keys.append(WhitelistEntry(public_key=key, role=role, added_at=world.now(), domain="control"))
    return vehicle_view(vehicle)


@router.patch("/vehicles/{vin}/keys")
async def change_key(vin: str, body: KeyPatch, world: WorldDep) -> dict[str, Any]:
    """Deactivate or re-role a whitelisted key, as the owner can on the car's Locks screen."""
    vehicle = _vehicle(world, vin)
    try:
        entry = vehicle.key_entry(public_key_from_text(body.public_key))
    except KeyFormatError as exc:
        raise HTTPException(422, str(exc)) from exc
    if entry is None:
        raise HTTPException(404, "that key is not on the vehicle's whitelist")
    if body.active is not None:
        entry.active = body.active
    if body.role is not None:
        entry.role = body.role if isinstance(body.role, int) else provisioning.ROLES[body.role]
    return vehicle_view(vehicle)


@router.delete("/vehicles/{vin}/keys")
async def remove_keys(vin: str, world: WorldDep) -> dict[str, Any]:
    vehicle = _vehicle(world, vin)
    vehicle.keys = [key for key in vehicle.keys if key.domain is None]
    return vehicle_view(vehicle)


@router.get("/energy_sites/{site_id}")
async def get_energy_site(site_id: int, world: WorldDep) -> dict[str, Any]:
    return energy_site_view(_site(world, site_id))


@router.patch("/energy_sites/{site_id}")
async def patch_energy_site(site_id: int, body: EnergySitePatch, world: WorldDep) -> dict[str, Any]:
    site = _site(world, site_id)
    for name, value in body.model_dump(exclude_unset=True).items():
        setattr(site, name, value)
    return energy_site_view(site)


@router.post("/faults", status_code=201)
async def add_fault(body: FaultIn, world: WorldDep) -> dict[str, Any]:
    if body.status is None and not body.latency_ms and not body.lose_answer:
        raise HTTPException(422, "a fault needs a status, a latency_ms or lose_answer")
    if body.lose_answer and body.status is not None:
        raise HTTPException(422, "lose_answer loses the real answer: it takes no status")
    return world.faults.add(**body.model_dump()).as_dict()


@router.get("/faults")
async def list_faults(world: WorldDep) -> dict[str, Any]:
    return {"data": [fault.as_dict() for fault in world.faults.faults]}


@router.delete("/faults")
async def clear_faults(world: WorldDep) -> dict[str, bool]:
    world.faults.clear()
    return {"ok": True}


@router.post("/clock")
async def advance_clock(body: ClockIn, world: WorldDep) -> dict[str, float]:
    return {"now": world.clock.advance(body.advance_seconds)}


@router.get("/clock")
async def read_clock(world: WorldDep) -> dict[str, float]:
    return {"now": world.now()}


@router.get("/usage")
async def usage(world: WorldDep) -> dict[str, Any]:
    return world.usage.report()
