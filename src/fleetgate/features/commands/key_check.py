"""What a submission knows of the app's virtual key on the car, for the access decision (`access.capabilities`).

A signed command to a car that requires the key, which Tesla said it lacks, would only fail at the car, after a
billed wake if it is asleep: the submission refuses it (`virtual_key_not_paired`, with the pairing link) unless the
caller asks to try anyway. What Tesla said may be out of date (the owner paired the key since): when it was said
longer ago than `virtual_key_recheck_seconds`, Tesla is asked again first, with `fleet_status` (one call for this
VIN, which wakes nothing and is not billed), and its answer is stored as every pairing check stores it.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import TRY_ANYWAY, VIRTUAL_KEY_NOT_PAIRED, VirtualKeyFacts, decide
from fleetgate.features.commands.catalog import CommandSpec
from fleetgate.features.commands.schemas import IfKeyMissing
from fleetgate.features.connections.tesla_errors import api_error
from fleetgate.features.devices.pairing import recheck_virtual_key
from fleetgate.features.devices.service import connection_facts, virtual_key_facts
from fleetgate.features.devices.virtual_key import pairing_status_older_than
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Connection, Device
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla import errors as tesla

log = logging.getLogger("fleetgate.commands")


async def key_for_submission(
    session: AsyncSession,
    runtime: Runtime,
    spec: CommandSpec,
    device: Device,
    connection: Connection,
    if_key_missing: IfKeyMissing,
) -> VirtualKeyFacts | None:
    """The key's facts to decide with; None when the caller asked to try anyway (Tesla's answer to the command
    decides then, as it does for a key never checked)."""
    if if_key_missing == TRY_ANYWAY or not spec.needs_virtual_key:
        return None
    known = virtual_key_facts(runtime, device)
    # Asking Tesla again is worth it only for a refusal for the key: not for a car that may take the command, nor
    # before the other refusals (a connection that cannot reach Tesla, a removed device, a missing scope).
    decision = decide(spec.needs, connection_facts(runtime, connection), device.status, known)
    if decision.reason != VIRTUAL_KEY_NOT_PAIRED:
        return known
    if not pairing_status_older_than(device, runtime.settings.virtual_key_recheck_seconds, utcnow()):
        return known
    try:
        checked = await recheck_virtual_key(session, runtime, device, connection)
    except tesla.LoginRequired as exc:
        # Tesla ended the connection's access (`fleet_api` has marked it): that comes first in the decision's order,
        # and the command could not be sent either. Its error has the reconnect links, which are what helps.
        raise api_error(runtime, connection, exc) from None
    except tesla.TeslaError as exc:
        # The caller did not ask for this check: it is ours, to spare them a wasted wake. Failing their submission
        # with a 5xx or a 429 of a call they never made would leave them with less than they had before it, so
        # Tesla's last word stands and the refusal says when it was said (with the pairing link and how to try
        # anyway). A later submission asks again, since what is stored is still old.
        error = api_error(runtime, connection, exc)
        log.warning("device %s: the virtual key was not checked again: %s (%s)", device.id, error.code, exc.reason)
        return known
    return virtual_key_facts(runtime, checked)
