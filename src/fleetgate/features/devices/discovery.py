"""Device discovery: vehicles and energy sites from `products`, virtual-key pairing from `fleet_status`.

Devices are keyed by (connection, VIN or energy_site_id), so their ids survive re-syncs and reconnects. A device
Tesla stops listing is marked `removed`, and comes back `active` with the same id. Each change is an event in the
sync's transaction: `device.discovered` (new, or listed again), `device.updated` (name, signing, firmware),
`device.removed`, and `virtual_key.*` when a known pairing flips (see `pairing`). Devices of a kind the token
cannot see (the user took away every vehicle scope, say) are left as they are: Tesla hiding them says nothing
about whether they still exist, and their capabilities already say what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import ENERGY_SITE, VEHICLE, sees_device_type
from fleetgate.features.connections.fleet import ensure_usable, fleet_api, mark_needs_reconnect
from fleetgate.features.connections.tokens import ConnectionTokens
from fleetgate.features.devices.events import record_device_events
from fleetgate.features.devices.pairing import apply_pairing
from fleetgate.features.devices.virtual_key import read_fleet_status
from fleetgate.features.events.types import DEVICE_DISCOVERED, DEVICE_REMOVED, DEVICE_UPDATED
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.side_transactions import mark_written
from fleetgate.infra.models import Connection, Device
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.errors import LoginRequired, MissingScopes


@dataclass
class SyncReport:
    """`discovered`: new, or listed again after being removed; `updated`: known, and something shown changed."""

    discovered: list[Device] = field(default_factory=list)
    updated: list[Device] = field(default_factory=list)
    removed: list[Device] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Listed:
    type: str
    external_id: str
    display_name: str | None
    command_signing: str | None = None
    resource_type: str | None = None


def listed_devices(products: list[dict[str, Any]]) -> list[Listed]:
    found: dict[tuple[str, str], Listed] = {}
    for item in products:
        vin = item.get("vin")
        site_id = item.get("energy_site_id")
        if isinstance(vin, str) and vin:
            signing = item.get("command_signing")
            found[(VEHICLE, vin)] = Listed(
                VEHICLE,
                vin,
                _text(item.get("display_name")),
                command_signing=signing if isinstance(signing, str) else None,
            )
        elif isinstance(site_id, int) and not isinstance(site_id, bool):
            found[(ENERGY_SITE, str(site_id))] = Listed(
                ENERGY_SITE,
                str(site_id),
                _text(item.get("site_name")),
                resource_type=_text(item.get("resource_type")),
            )
    return list(found.values())


def _text(value: object) -> str | None:
    return value[:200] if isinstance(value, str) and value else None


async def _products(api: FleetApi) -> list[dict[str, Any]] | None:
    """None when the token may see no products at all (a 403 is not a failure of the sync)."""
    try:
        return await api.products()
    except MissingScopes:
        return None


async def sync_devices(session: AsyncSession, runtime: Runtime, connection: Connection) -> SyncReport:
    """Brings the connection's devices in line with Tesla: new ones created, known ones updated (same id), vanished
    ones marked removed; vehicles' virtual-key status read with `fleet_status`."""
    # Tesla first, the database after: the request's transaction takes no lock while Tesla is being asked.
    async with fleet_api(runtime, session, connection) as api:
        products = await _products(api)
        listed = listed_devices(products or [])
        vins = [item.external_id for item in listed if item.type == VEHICLE]
        pairing = await read_fleet_status(api, vins) if vins else None

    scopes = set(connection.granted_scopes) if products is not None else set()
    visible = {kind for kind in (VEHICLE, ENERGY_SITE) if sees_device_type(kind, scopes)}
    report = SyncReport()
    now = utcnow()
    query = select(Device).where(Device.connection_id == connection.id)
    known = {(device.type, device.external_id): device for device in (await session.scalars(query)).all()}
    for item in listed:
        device = known.pop((item.type, item.external_id), None)
        before = _facts(device) if device is not None and device.status != DeviceStatus.REMOVED else None
        if device is None:
            device = Device(
                id=new_id("dev"),
                workspace_id=connection.workspace_id,
                connection_id=connection.id,
                customer_id=connection.customer_id,
                type=item.type,
                external_id=item.external_id,
                created_at=now,
            )
            session.add(device)
        _update(device, item)
        if item.type == VEHICLE and pairing is not None:
            await apply_pairing(session, runtime, device, pairing, now)
        if before is None:
            report.discovered.append(device)
        elif _facts(device) != before:
            report.updated.append(device)
    for device in known.values():
        if device.type in visible and device.status != DeviceStatus.REMOVED:
            device.status = DeviceStatus.REMOVED
            device.removed_at = now
            report.removed.append(device)
    connection.synced_at = now
    mark_written(session, connection.id)
    await session.flush()
    changes = [
        (event_type, device)
        for event_type, devices in (
            (DEVICE_DISCOVERED, report.discovered),
            (DEVICE_UPDATED, report.updated),
            (DEVICE_REMOVED, report.removed),
        )
        for device in devices
    ]
    await record_device_events(session, runtime, changes, connection)
    return report


def _facts(device: Device) -> tuple[str | None, ...]:
    """What a sync may change that the device's view shows (its pairing has events of its own)."""
    return (device.display_name, device.command_signing, device.firmware_version, device.resource_type)


def _update(device: Device, item: Listed) -> None:
    device.status = DeviceStatus.ACTIVE
    device.removed_at = None
    if item.display_name is not None:
        device.display_name = item.display_name
    if item.type == VEHICLE:
        if item.command_signing is not None:
            device.command_signing = item.command_signing
    else:
        device.resource_type = item.resource_type


async def sync_connection(session: AsyncSession, runtime: Runtime, connection: Connection) -> SyncReport:
    """A fresh access token first (scopes the user changed on Tesla's side arrive in it), then the devices."""
    ensure_usable(runtime, connection)
    try:
        await ConnectionTokens(runtime, connection, session).refresh_now()
    except LoginRequired as exc:
        await mark_needs_reconnect(runtime, session, connection, exc)
        raise
    return await sync_devices(session, runtime, connection)


async def remove_devices(session: AsyncSession, runtime: Runtime, connection: Connection) -> list[Device]:
    """Marks every device of a disconnected connection removed, each with its `device.removed` event."""
    now = utcnow()
    query = select(Device).where(Device.connection_id == connection.id, Device.status != DeviceStatus.REMOVED)
    removed = list((await session.scalars(query.order_by(Device.created_at, Device.id))).all())
    for device in removed:
        device.status = DeviceStatus.REMOVED
        device.removed_at = now
        device.updated_at = now
    await session.flush()
    await record_device_events(session, runtime, [(DEVICE_REMOVED, device) for device in removed], connection)
    return removed
