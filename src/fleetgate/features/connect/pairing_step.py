"""The pairing step after consent: an app that asked to send commands needs its virtual key on the user's cars, which
only the user can add (in the Tesla app, through the pairing link). The step shows a link and a QR code for each car
still without the key; the user can ask to check again, and go on to the app with or without it.

A check asks Tesla's `fleet_status` once for every car still without the key, with no transaction open meanwhile,
and writes what it says through `devices.pairing` (so `virtual_key.paired` events are recorded as anywhere else).
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connect.authorize import needs_virtual_key
from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.devices.pairing import apply_pairing
from fleetgate.features.devices.virtual_key import read_fleet_status
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.release import release
from fleetgate.infra.errors import APIError
from fleetgate.infra.models import Connection, ConnectSession, Device
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla.errors import TeslaError

log = logging.getLogger("fleetgate.connect")


def asks_for_key(connect_session: ConnectSession) -> bool:
    """The app asked to send commands and, once consent is given, the user allowed it: otherwise the key is of no use
    to the app."""
    granted = (connect_session.result or {}).get("granted_access")
    return needs_virtual_key(connect_session.requested_access if granted is None else granted)


async def check_pairing(session: AsyncSession, runtime: Runtime, connection: Connection, cars: list[Device]) -> bool:
    """Asks Tesla whether `cars` have the key now and remembers the answer; False when Tesla could not be asked."""
    if not cars:
        return True
    vins = [car.external_id for car in cars]
    await release(session)
    try:
        async with fleet_api(runtime, session, connection, cars) as api:
            status = await read_fleet_status(api, vins)
    except (TeslaError, APIError) as exc:
        log.info("pairing check for connection %s failed: %s", connection.id, getattr(exc, "reason", exc))
        return False
    if status is None:
        return False
    now = utcnow()
    for car in cars:
        await apply_pairing(session, runtime, car, status, now)
    await session.flush()
    return True
