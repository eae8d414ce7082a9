"""Running one claimed command to its outcome: the attempt against Tesla, then, in one transaction, the outcome,
what it taught about the device's virtual key, and the events. Shared by the in-process executor and workers."""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import cast

from sqlalchemy import Boolean, Table, bindparam, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.commands import lifecycle, outcomes
from fleetgate.features.commands.execution import Job, attempt
from fleetgate.features.commands.outcomes import Outcome
from fleetgate.features.commands.reporting import report_settled
from fleetgate.features.commands.status import TERMINAL
from fleetgate.features.devices.pairing import set_pairing
from fleetgate.features.usage.ledger import CallWithdrawn, Meter
from fleetgate.infra.db.base import UTCDateTime, utcnow
from fleetgate.infra.db.writes import SessionWrites, Writes
from fleetgate.infra.errors import APIError
from fleetgate.infra.models import Command, Device
from fleetgate.infra.runtime import Runtime

log = logging.getLogger("fleetgate.commands")


_DEVICES = cast(Table, Device.__table__)
_CHANGED = {"changed_by_command_at": bindparam("changed_at", type_=UTCDateTime())}
_CHECKED = {"virtual_key_checked_at": bindparam("checked_at", type_=UTCDateTime())}
_THIS_DEVICE = _DEVICES.c.id == bindparam("device_id")
_STILL_PAIRED_AS = _DEVICES.c.virtual_key_paired == bindparam("paired_value", type_=Boolean())
# By (succeeded, the outcome tells of the key): what a command's end notes on its device, built once.
_NOTES = {
    (True, False): update(_DEVICES).where(_THIS_DEVICE).values(_CHANGED),
    (True, True): update(_DEVICES).where(_THIS_DEVICE, _STILL_PAIRED_AS).values({**_CHANGED, **_CHECKED}),
    (False, True): update(_DEVICES).where(_THIS_DEVICE, _STILL_PAIRED_AS).values(_CHECKED),
}

# Pauses between tries at writing an outcome while the database is failing (a last try follows them).
SETTLE_PAUSES_SECONDS = (0.2, 1.0, 3.0)


class ClaimLost(CallWithdrawn):
    """The worker's lease ran out and another took the command over: this one must not send it."""


async def run_job(runtime: Runtime, job: Job, worker: str) -> Outcome | None:
    """The outcome written, or None when the claim was lost meanwhile (then nothing is written)."""
    sessions = runtime.sessionmaker

    async def sent(writes: Writes) -> None:
        # Recovery reads it: a non-idempotent command that went out is not sent again, an idempotent one is but may
        # have run. Whatever the command, a worker that lost its claim (it stalled past its lease) must not send what
        # another now runs. Written in the ledger's reservation of the request (see `execution`).
        if not await lifecycle.mark_sent_in(writes, job.command_id, worker, sent=True):
            raise ClaimLost

    async def unsent() -> None:
        await lifecycle.mark_sent(sessions, job.command_id, worker, sent=False)

    # The attempt's calls to Tesla: their answers are written with the outcome, in its transaction.
    calls: list[Meter] = []
    try:
        outcome = await attempt(runtime, job, sent, unsent, calls)
    except asyncio.CancelledError:
        # Shutting down: the claim ends now rather than when its lease runs out (shielded: we are being cancelled).
        await asyncio.shield(_without_outcome(runtime, job, worker, calls))
        raise
    except ClaimLost:
        log.warning("command %s: the claim was lost before sending; another worker runs it", job.command_id)
        await _settle_calls(calls)
        return None
    except DBAPIError:
        # The database failed under the attempt (a restart, a dropped connection): the claim ends by the recovery
        # rules, now if the database is back, else when its lease runs out, as if this worker had stopped.
        log.exception("command %s (%s): the database failed during the attempt", job.command_id, job.name)
        with suppress(DBAPIError):
            await _without_outcome(runtime, job, worker, calls)
        return None
    except Exception:
        log.exception("command %s (%s): the attempt failed unexpectedly", job.command_id, job.name)
        outcome = outcomes.failed(APIError("fleetgate failed while running the command."), "internal error")
    for pause in SETTLE_PAUSES_SECONDS:
        try:
            command = await _settle(runtime, job, worker, outcome, calls)
            break
        except DBAPIError:
            # The outcome is known and the car may have acted on it: worth more than a recovery's guess.
            log.warning("command %s: its outcome could not be written; trying again", job.command_id, exc_info=True)
            await asyncio.sleep(pause)
    else:
        command = await _settle(runtime, job, worker, outcome, calls)
    if command is None:
        log.warning(
            "command %s: the claim was lost before its outcome (%s) was written", job.command_id, outcome.status
        )
        return None
    time_ended(runtime, command)
    return outcome


async def _without_outcome(runtime: Runtime, job: Job, worker: str, calls: list[Meter]) -> None:
    await _settle_calls(calls)
    await lifecycle.release(runtime.sessionmaker, job.command_id, worker, now=utcnow())


async def _settle_calls(calls: list[Meter]) -> None:
    for meter in calls:
        await meter.settle(meter.error)


class PairingChanged(Exception):
    """The outcome changes what is known of the device's virtual key: `set_pairing` writes that, with its event,
    in a session."""


async def _settle(runtime: Runtime, job: Job, worker: str, outcome: Outcome, calls: list[Meter]) -> Command | None:
    async def write(writes: Writes, session: AsyncSession | None = None) -> Command | None:
        # Whoever holds the claim now, these calls were made (and may be billed).
        for meter in calls:
            await meter.write_in(writes)
        command = await lifecycle.settle(writes, job.command_id, worker, outcome)
        if command is None:
            return None
        if outcome.virtual_key_paired is not None or outcome.status == "succeeded":
            await _note_on_device(writes, session, runtime, job.device.id, command, outcome)
        await report_settled(writes, command)
        return command

    try:
        return await runtime.writer.run(write)
    except PairingChanged:
        async with runtime.sessionmaker() as session, session.begin():
            return await write(SessionWrites(session), session)


async def _note_on_device(
    writes: Writes, session: AsyncSession | None, runtime: Runtime, device_id: str, command: Command, outcome: Outcome
) -> None:
    """What a command's end teaches about its device: after a success, what was read of it before may no longer be
    true (see `devices.state_service`); a signed command that went through proves the app's key is on the car, a
    refusal for an unknown key that it is not."""
    now = utcnow()
    paired = outcome.virtual_key_paired
    succeeded = outcome.status == "succeeded"
    values = {"device_id": device_id, "paired_value": paired, "changed_at": command.completed_at, "checked_at": now}
    # Most ends change nothing the events tell of: one statement, unless the key's pairing flips (or was unknown).
    noted = await writes.execute(_NOTES[succeeded, paired is not None], values)
    if noted == 1 or paired is None:
        return
    if session is None:
        raise PairingChanged
    device = await session.get(Device, device_id)
    if device is None:
        return
    if succeeded:
        device.changed_by_command_at = command.completed_at
    await set_pairing(session, runtime, device, paired, now)


def time_ended(runtime: Runtime, command: Command) -> None:
    if command.status not in TERMINAL or command.completed_at is None:
        return
    seconds = (command.completed_at - command.created_at).total_seconds()
    runtime.metrics.command_seconds.labels(command.command, command.status).observe(seconds)
