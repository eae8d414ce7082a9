"""One attempt at a command, against Tesla: no database here, only what the attempt needs and what it learned.

Vehicles: the command is sent as it is, without asking first whether the car is awake (that would be a call per
command); a car that is asleep answers 408 before anything reaches it. Then, if the command allows it, the car is
woken once (a billed wake), the free `GET /vehicles/{vin}` is polled until it is online within the wake policy,
and the command is sent again. `mark_sent` runs before each send that may reach the car and `mark_unsent` after
a 408, so that recovery after a crash knows whether a non-idempotent command may have run.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fleetgate.features.access.capabilities import ENERGY_SITE
from fleetgate.features.commands import outcomes
from fleetgate.features.commands.catalog import BY_NAME, CommandSpec
from fleetgate.features.commands.outcomes import Outcome
from fleetgate.features.connections.fleet import fleet_api, remedies_of
from fleetgate.features.devices import normalize
from fleetgate.features.devices.state_service import NotOnline, WakePolicy, wait_until_online
from fleetgate.features.devices.virtual_key import pairing_url
from fleetgate.infra.errors import APIError
from fleetgate.infra.models import Connection, Device
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla import errors as tesla
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.signing.commander import WAKE_UP, CommandResult

Hook = Callable[[], Awaitable[None]]


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


async def attempt(runtime: Runtime, job: Job, wake: WakePolicy, mark_sent: Hook, mark_unsent: Hook) -> Outcome:
    if job.device.status != DeviceStatus.ACTIVE:
        # Gone from the Tesla account since the command was queued (a sync found it missing).
        return outcomes.failed(
            "device_removed",
            "device no longer on the Tesla account",
            f"Device {job.device.id} is no longer on the Tesla account of its connection; nothing was sent.",
            {"action": "sync", "sync_url": f"/v1/connections/{job.connection.id}/sync"},
        )
    pairing = (
        pairing_url(runtime.settings, runtime.endpoints, job.device.external_id)
        if job.device.type != ENERGY_SITE
        else None
    )
    try:
        async with fleet_api(runtime, None, job.connection) as api:
            if job.device.type == ENERGY_SITE:
                return await _energy(api, job, mark_sent)
            return await _vehicle(runtime, api, job, wake, mark_sent, mark_unsent)
    except APIError as exc:  # the connection could not be used (it needs a reconnect, or was deleted)
        return outcomes.from_api_error(exc)
    except tesla.TeslaError as exc:
        return outcomes.from_tesla_error(
            exc,
            idempotent=job.idempotent,
            attempts=job.attempts,
            pairing_url=pairing,
            remedies=remedies_of(runtime, job.connection),
        )


async def _energy(api: FleetApi, job: Job, mark_sent: Hook) -> Outcome:
    spec = job.spec
    assert spec.energy_endpoint is not None
    assert spec.energy_body is not None
    await mark_sent()
    answer = await api.energy_command(int(job.device.external_id), spec.energy_endpoint, spec.energy_body(job.params))
    message = answer.get("message")
    return outcomes.succeeded(message if isinstance(message, str) else None)


async def _vehicle(
    runtime: Runtime, api: FleetApi, job: Job, wake: WakePolicy, mark_sent: Hook, mark_unsent: Hook
) -> Outcome:
    vin = job.device.external_id
    if job.name == WAKE_UP:
        return await _wake_up(api, vin, wake)
    try:
        return _result(await _send(runtime, api, job, mark_sent))
    except tesla.VehicleUnavailable as exc:
        await mark_unsent()  # Tesla's 408: the car was not reached
        if not job.wake:
            return outcomes.failed(
                "vehicle_asleep",
                exc.reason,
                "The vehicle is asleep or offline, and the command was sent with `wake: false`.",
                {"retry_with": {"wake": True}, "note": "Waking costs a billed wake."},
            )
    try:
        vehicle = await api.wake_up(vin)
        if normalize.online_state(vehicle) != "online":
            await wait_until_online(api, vin, wake, normalize.online_state(vehicle) or "asleep")
    except NotOnline as exc:
        return _not_woken(exc, wake)
    try:
        return _result(await _send(runtime, api, job, mark_sent))
    except tesla.VehicleUnavailable as exc:
        await mark_unsent()
        return outcomes.failed(
            "vehicle_unavailable",
            exc.reason,
            "The vehicle was woken, then could not be reached for the command.",
            {"note": "It may have lost its connection; try again later."},
        )


async def _send(runtime: Runtime, api: FleetApi, job: Job, mark_sent: Hook) -> CommandResult:
    """`mark_sent` runs just before the request that carries the command (a handshake before it does not count)."""
    vin = job.device.external_id
    if runtime.commander is None:
        # No private key: REST only, which cars that require signed commands refuse (`signing_required`).
        await mark_sent()
        answer = await api.command(vin, job.name, job.params)
        return CommandResult(True, str(answer.get("reason") or ""), signed=False)
    return await runtime.commander.execute(api, vin, job.name, job.params, before_send=mark_sent)


def _result(result: CommandResult) -> Outcome:
    return outcomes.succeeded(result.reason, signed=result.signed)


async def _wake_up(api: FleetApi, vin: str, wake: WakePolicy) -> Outcome:
    vehicle = await api.wake_up(vin)
    online = normalize.online_state(vehicle)
    if online == "online":
        return outcomes.succeeded("online")
    try:
        await wait_until_online(api, vin, wake, online or "asleep")
    except NotOnline as exc:
        return _not_woken(exc, wake)
    return outcomes.succeeded("online")


def _not_woken(exc: NotOnline, wake: WakePolicy) -> Outcome:
    return outcomes.failed(
        "wake_timeout",
        f"vehicle still {exc.online_state} {wake.timeout_seconds:g} s after the wake-up",
        f"Tesla was asked to wake the vehicle, and it was still {exc.online_state} after {wake.timeout_seconds:g} s.",
        {"note": "The car may be out of coverage or switched off. Each new try costs another billed wake."},
    )
