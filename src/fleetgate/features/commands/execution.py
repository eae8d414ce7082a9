"""One attempt at a command, against Tesla: no database here, only what the attempt needs and what it learned.

First the same access decision as at submission (`access.capabilities`, in its one order), on the connection and
device as they are now: a command whose device was removed, or whose connection lost its access, meanwhile ends
with that refusal, nothing sent (nor billed).

Vehicles: the command is sent as it is, without asking first whether the car is awake (that would be a call per
command); a car that is asleep answers 408 before anything reaches it. Then, if the command allows it, the car is
woken (`tesla.wake`, the runtime's wake policy) and the command is sent again. The command is marked sent before
each request that may reach the car, and unsent after a 408, so that recovery after a crash knows whether a
non-idempotent command may have run. The mark rides in the usage ledger's reservation of that request (`Meter`'s
rider): both are committed together, just before the request leaves, in one transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fleetgate.features.access.capabilities import ENERGY_SITE, decide
from fleetgate.features.commands import outcomes
from fleetgate.features.commands.catalog import BY_NAME, CommandSpec
from fleetgate.features.commands.outcomes import Outcome
from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.connections.tesla_errors import api_error
from fleetgate.features.devices.errors import VehicleUnreachable, refusal_error, wake_timeout_error
from fleetgate.features.devices.service import connection_facts
from fleetgate.features.devices.virtual_key import pairing_url
from fleetgate.features.usage.ledger import Meter
from fleetgate.infra.db.writes import Writes
from fleetgate.infra.errors import APIError
from fleetgate.infra.models import Connection, Device
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla import errors as tesla
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.signing.commander import WAKE_UP, CommandResult
from fleetgate.tesla.wake import NotOnline, wake

Hook = Callable[[], Awaitable[None]]
# Marks the command sent in the transaction given; raises `CallWithdrawn` when it must not be sent after all.
MarkSent = Callable[[Writes], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed command with its device and connection, detached from any session."""

    command_id: str
    name: str
    params: dict[str, Any]
    wake: bool
    idempotent: bool
    attempts: int  # this one included
    device: Device
    connection: Connection

    @property
    def spec(self) -> CommandSpec:
        return BY_NAME[self.name]


@dataclass
class Sending:
    """Whether the request carrying the command has left, as the commands table records it."""

    mark_sent: MarkSent
    mark_unsent: Hook
    sent: bool = False
    _mark_due: bool = False

    async def before_send(self) -> None:
        """The next call is the one that carries the command: its reservation writes the mark (`ride`)."""
        self.sent = True
        self._mark_due = True

    async def ride(self, writes: Writes) -> None:
        # Written in every reservation until the command's request is known not delivered: a reservation made again
        # (its transaction lost, or Tesla's 421 or 401 answered first) must carry the mark again.
        if self._mark_due:
            await self.mark_sent(writes)

    async def not_delivered(self) -> None:
        self.sent = False
        self._mark_due = False
        await self.mark_unsent()


async def attempt(
    runtime: Runtime, job: Job, mark_sent: MarkSent, mark_unsent: Hook, unsettled: list[Meter] | None = None
) -> Outcome:
    """`unsettled`: see `connections.fleet.fleet_api` (the runner writes the calls' answers with the outcome)."""
    spec, device = job.spec, job.device
    facts = connection_facts(runtime, job.connection)
    decision = decide(spec.needs, facts, device.status, None)
    if not decision.available:
        return outcomes.failed(refusal_error(decision, spec.needs, facts, device.id, spec.name))
    sending = Sending(mark_sent, mark_unsent)
    try:
        async with fleet_api(runtime, None, job.connection, [device], unsettled=unsettled, rider=sending.ride) as api:
            if device.type == ENERGY_SITE:
                return await _energy(api, job, sending)
            return await _vehicle(runtime, api, job, sending)
    except APIError as exc:  # the connection could not be used after all (its tokens were erased meanwhile)
        return outcomes.failed(exc)
    except tesla.TeslaError as exc:
        pairing = (
            None if device.type == ENERGY_SITE else pairing_url(runtime.settings, runtime.endpoints, device.external_id)
        )
        error = api_error(runtime, job.connection, exc, pairing_url=pairing)
        return outcomes.after_tesla_error(
            exc, error, idempotent=job.idempotent, attempts=job.attempts, sent=sending.sent
        )


async def _energy(api: FleetApi, job: Job, sending: Sending) -> Outcome:
    spec = job.spec
    assert spec.energy_endpoint is not None
    assert spec.energy_body is not None
    await sending.before_send()
    answer = await api.energy_command(int(job.device.external_id), spec.energy_endpoint, spec.energy_body(job.params))
    message = answer.get("message")
    return outcomes.succeeded(message if isinstance(message, str) else None)


async def _vehicle(runtime: Runtime, api: FleetApi, job: Job, sending: Sending) -> Outcome:
    vin = job.device.external_id
    try:
        if job.name == WAKE_UP:
            await wake(api, vin, runtime.wake)
            return outcomes.succeeded("online")
        try:
            return _result(await _send(runtime, api, job, sending))
        except tesla.VehicleUnavailable:
            await sending.not_delivered()  # Tesla's 408: the car was not reached
            if not job.wake:
                raise
        await wake(api, vin, runtime.wake)
    except NotOnline as exc:
        waited = f"vehicle still {exc.online_state} {runtime.wake.timeout_seconds:g} s after the wake-up"
        return outcomes.failed(wake_timeout_error(exc, runtime.wake), waited)
    try:
        return _result(await _send(runtime, api, job, sending))
    except tesla.VehicleUnavailable as exc:
        await sending.not_delivered()
        return outcomes.failed(
            VehicleUnreachable("The vehicle was woken, then could not be reached for the command."), exc.reason
        )


async def _send(runtime: Runtime, api: FleetApi, job: Job, sending: Sending) -> CommandResult:
    """`before_send` runs just before the request that carries the command (a handshake before it does not count)."""
    vin = job.device.external_id
    if runtime.commander is None or takes_rest(job.device):
        # Without a private key REST is all there is: cars that require signed commands refuse it (`signing_required`).
        await sending.before_send()
        answer = await api.command(vin, job.name, job.params)
        return CommandResult(True, str(answer.get("reason") or ""), signed=False)
    return await runtime.commander.execute(api, vin, job.name, job.params, before_send=sending.before_send)


def takes_rest(device: Device) -> bool:
    """A car that does not require signed commands takes REST ones, as Tesla's proxy falls back to them: the only way
    to a car that speaks no protocol (`off`), and to one that allows both while it lacks the app's key."""
    signing = device.command_signing
    return signing == "off" or (signing == "allowed" and device.virtual_key_paired is not True)


def _result(result: CommandResult) -> Outcome:
    return outcomes.succeeded(result.reason, signed=result.signed)
