"""A vehicle's virtual-key pairing as Tesla reports it, and the events when it flips.

Discovery and `POST …/virtual-key/check` go through `set_pairing`, and so should anything else that learns whether
the app's key is on a car (a command refused for want of the key): `virtual_key.paired` and `virtual_key.unpaired`
are then recorded whichever of them notices. The state first seen is no flip: it is in `device.discovered`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.devices.events import record_device_event
from fleetgate.features.devices.virtual_key import PairingStatus, apply_vehicle_status, parse_fleet_status
from fleetgate.features.events.types import VIRTUAL_KEY_PAIRED, VIRTUAL_KEY_UNPAIRED
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Connection, Device
from fleetgate.infra.runtime import Runtime


async def set_pairing(session: AsyncSession, runtime: Runtime, device: Device, paired: bool, now: datetime) -> None:
    before = device.virtual_key_paired
    device.virtual_key_paired = paired
    device.virtual_key_checked_at = now
    if before is None or before == paired:
        return
    await session.flush()
    await record_device_event(session, runtime, VIRTUAL_KEY_PAIRED if paired else VIRTUAL_KEY_UNPAIRED, device)


async def apply_pairing(
    session: AsyncSession, runtime: Runtime, device: Device, pairing: PairingStatus, now: datetime
) -> None:
    """What `fleet_status` said of this vehicle, if it said anything."""
    vehicle = pairing.get(device.external_id)
    if vehicle is None:
        return
    apply_vehicle_status(device, vehicle)
    await set_pairing(session, runtime, device, vehicle.paired, now)


async def check_virtual_key(session: AsyncSession, runtime: Runtime, device: Device, connection: Connection) -> Device:
    """Asks Tesla (`fleet_status`) whether the app's key is on the car now, and remembers the answer (Tesla first,
    so that a caller that released its session holds none meanwhile). Tesla's errors escape as they are (see
    `connections.fleet`)."""
    vins = [device.external_id]
    async with fleet_api(runtime, session, connection) as api:
        pairing = parse_fleet_status(await api.fleet_status(vins), vins)
    await apply_pairing(session, runtime, device, pairing, utcnow())
    await session.flush()
    return device
