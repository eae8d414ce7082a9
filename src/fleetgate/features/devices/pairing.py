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
from fleetgate.infra.db.release import release
from fleetgate.infra.db.side_transactions import side_transaction
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
    pairing = await _ask_tesla(session, runtime, device, connection)
    await apply_pairing(session, runtime, device, pairing, utcnow())
    await session.flush()
    return device


async def recheck_virtual_key(
    session: AsyncSession, runtime: Runtime, device: Device, connection: Connection
) -> Device:
    """`check_virtual_key` for a device read outside `session` (a submission reads it from the reader): `session`
    is released before Tesla is asked, and the answer is written to the device's row in a transaction of its own,
    committed at once, so that it stands whatever the request answers next (a refusal rolls the request back). The
    device as written, or `device` itself if its row is gone."""
    await release(session)
    pairing = await _ask_tesla(session, runtime, device, connection)
    async with side_transaction(runtime.side_sessionmaker, session, device.id) as side:
        row = await side.session.get(Device, device.id)
        if row is None:
            return device
        await apply_pairing(side.session, runtime, row, pairing, utcnow())
        await side.session.flush()
    return row


async def _ask_tesla(
    session: AsyncSession | None, runtime: Runtime, device: Device, connection: Connection
) -> PairingStatus:
    vins = [device.external_id]
    async with fleet_api(runtime, session, connection) as api:
        return parse_fleet_status(await api.fleet_status(vins), vins)
