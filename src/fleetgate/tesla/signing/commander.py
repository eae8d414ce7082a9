"""Sending commands the way Tesla's own SDK does: signed when the car speaks the protocol, REST when it does not.

Per (VIN, domain) one cached session and one lock: a handshake happens once, not once per command (each is a billed
call), and commands to one domain of one car are signed and sent one at a time, so counters reach the car in order.
Sync faults (stale epoch, counter, clock) come with fresh, tagged session info; the commander adopts it and signs
again, a bounded number of times. A busy vehicle is given a short pause. A 422 from `signed_command` means the car
does not speak the protocol: the command goes over REST and the VIN is remembered as REST-only.

Nothing is re-sent after a failure that may have reached the car (a timeout, a reply that does not authenticate):
the error says so (`may_have_succeeded`) and the caller decides.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from google.protobuf.message import DecodeError
from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import errors_pb2
from tesla_protocol.command import universal_message_pb2 as um
from tesla_protocol.command import vcsec_pb2 as vcsec

from fleetgate.protocol.authentication import DOMAIN_INFOTAINMENT
from fleetgate.protocol.faults import SYNC_FAULTS
from fleetgate.protocol.keys import public_key_bytes
from fleetgate.protocol.messages import MessageDecodeError, decode_routable, encode_routable
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.errors import (
    CommandRefused,
    KeyNotPaired,
    MobileAccessDisabled,
    ProtocolUnsupported,
    TeslaError,
    UpstreamError,
)
from fleetgate.tesla.signing import actions
from fleetgate.tesla.signing.envelope import (
    ReplyError,
    SentCommand,
    answers,
    read_session_info,
    reply_plaintext,
    session_info_request,
    signed_command,
)
from fleetgate.tesla.signing.session import SessionCache, VehicleSession

BUSY_FAULTS = frozenset({um.MESSAGEFAULT_ERROR_BUSY, um.MESSAGEFAULT_ERROR_TIMEOUT, um.MESSAGEFAULT_ERROR_INTERNAL})
COMMAND_TTL_SECONDS = 15
# Waking is the REST endpoint for every car (see `actions`); it answers with the vehicle and its `state`.
WAKE_UP = "wake_up"


BeforeSend = Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


@dataclass
class CommandResult:
    result: bool
    reason: str
    signed: bool
    vehicle_state: str | None = None  # what `wake_up` answers: `asleep` while the car is waking, then `online`

    def as_dict(self) -> dict[str, Any]:
        return {"result": self.result, "reason": self.reason}


def fault_name(fault: int) -> str:
    try:
        return um.MessageFault_E.Name(fault)
    except ValueError:
        return f"MESSAGEFAULT_{fault}"  # a fault newer than our bindings


def fault_error(fault: int) -> TeslaError:
    """The typed error of a fault the vehicle answered with; none of these faults ran the command."""
    rejected = f"vehicle rejected request: {fault_name(fault)}"
    if fault == um.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID:
        return KeyNotPaired()
    if fault == um.MESSAGEFAULT_ERROR_INACTIVE_KEY:
        return KeyNotPaired(rejected)
    if fault == um.MESSAGEFAULT_ERROR_REMOTE_ACCESS_DISABLED:
        return MobileAccessDisabled(rejected)
    if fault == um.MESSAGEFAULT_ERROR_INSUFFICIENT_PRIVILEGES:
        return CommandRefused(rejected)
    return UpstreamError(rejected, temporary=fault in SYNC_FAULTS or fault in BUSY_FAULTS)


@dataclass
class SignedCommander:
    private_key: ec.EllipticCurvePrivateKey
    sessions: SessionCache = field(default_factory=SessionCache)
    rest_only: set[str] = field(default_factory=set)
    on_rest_only: Callable[[str], Awaitable[None]] | None = None
    clock: Callable[[], float] = time.time
    max_resyncs: int = 2
    max_busy_retries: int = 2
    busy_pause_seconds: float = 0.5
    handshakes: int = 0
    resyncs: int = 0
    # Our public key as commands carry it, encoded once rather than on every command.
    _signer: bytes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._signer = public_key_bytes(self.private_key)

    async def execute(
        self, api: FleetApi, vin: str, name: str, params: dict[str, Any], *, before_send: BeforeSend | None = None
    ) -> CommandResult:
        """Raises `CommandRefused` when the car says no, `KeyNotPaired` when it does not know our key.
        `before_send` runs before each request that carries the command itself (not before a handshake)."""
        before_send = before_send or _nothing
        if name == WAKE_UP:
            vehicle = await api.wake_up(vin)
            return CommandResult(True, "", signed=False, vehicle_state=str(vehicle.get("state") or "") or None)
        try:
            payload = actions.build(name, params)
        except actions.UnsupportedSignedCommand:
            return await self._rest(api, vin, name, params, before_send)
        if vin not in self.rest_only:
            try:
                async with self.sessions.lock(vin, payload.domain):
                    # Checked again under the lock: the command queued before us may have just learned it.
                    if vin not in self.rest_only:
                        return await self._signed(api, vin, payload, before_send)
            except ProtocolUnsupported:
                await self._remember_rest_only(vin)
        return await self._rest(api, vin, name, params, before_send)

    async def _remember_rest_only(self, vin: str) -> None:
        if vin in self.rest_only:
            return
        self.rest_only.add(vin)
        if self.on_rest_only is not None:
            await self.on_rest_only(vin)

    async def _rest(
        self, api: FleetApi, vin: str, name: str, params: dict[str, Any], before_send: BeforeSend
    ) -> CommandResult:
        await before_send()
        result = await api.command(vin, name, params)
        return CommandResult(True, str(result.get("reason") or ""), signed=False)

    async def _signed(
        self, api: FleetApi, vin: str, payload: actions.SignedPayload, before_send: BeforeSend
    ) -> CommandResult:
        session = self.sessions.get(vin, payload.domain) or await self._handshake(api, vin, payload.domain)
        resyncs = busy = 0
        while True:
            sent = signed_command(session, self._signer, payload.payload, now=self.clock(), ttl=COMMAND_TTL_SECONDS)
            await before_send()
            reply = await self._exchange(api, vin, sent.message)
            status = reply.signedMessageStatus
            fault = status.signed_message_fault
            if fault in SYNC_FAULTS and resyncs < self.max_resyncs:
                resyncs += 1
                self.resyncs += 1
                session = await self._resync(api, vin, session, reply, sent)
                continue
            waiting = fault == um.MESSAGEFAULT_ERROR_NONE and status.operation_status == um.OPERATIONSTATUS_WAIT
            if (fault in BUSY_FAULTS or waiting) and busy < self.max_busy_retries:
                busy += 1
                await asyncio.sleep(self.busy_pause_seconds * busy)
                continue
            if fault != um.MESSAGEFAULT_ERROR_NONE:
                if fault in SYNC_FAULTS or fault == um.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID:
                    self.sessions.forget(vin, payload.domain)
                raise fault_error(fault)
            if waiting:
                raise UpstreamError("vehicle busy or finishing wake-up", temporary=True)
            try:
                plaintext = reply_plaintext(reply, sent, session)
            except ReplyError as exc:
                # The car may well have run the command; only its answer cannot be trusted.
                raise UpstreamError.answer_lost(f"vehicle reply rejected: {exc}") from exc
            return _outcome(payload.domain, plaintext)

    async def _handshake(self, api: FleetApi, vin: str, domain: int) -> VehicleSession:
        request, uuid = session_info_request(domain, self._signer)
        self.handshakes += 1
        reply = await self._exchange(api, vin, request)
        fault = reply.signedMessageStatus.signed_message_fault
        if fault != um.MESSAGEFAULT_ERROR_NONE:
            raise fault_error(fault)
        try:
            info, k = read_session_info(reply, key=self.private_key, vin=vin, challenge=uuid)
        except ReplyError as exc:
            raise UpstreamError(f"vehicle handshake failed: {exc}", temporary=True) from exc
        if k is None:  # KEY_NOT_ON_WHITELIST: the car has no shared key with us
            raise KeyNotPaired()
        session = VehicleSession(
            vin=vin,
            domain=domain,
            shared_key=k,
            epoch=bytes(info.epoch),
            counter=info.counter,
            clock_time=info.clock_time,
            synced_at=self.clock(),
        )
        self.sessions.put(session)
        return session

    async def _resync(
        self, api: FleetApi, vin: str, session: VehicleSession, reply: um.RoutableMessage, sent: SentCommand
    ) -> VehicleSession:
        """Adopts the session info a sync fault carries; without any (or with a different key), a new handshake."""
        if reply.session_info:
            try:
                info, k = read_session_info(reply, key=self.private_key, vin=vin, challenge=sent.uuid)
            except ReplyError:
                k = None
            if k is not None and k == session.shared_key:
                session.adopt(info, self.clock())
                return session
        self.sessions.forget(vin, session.domain)
        return await self._handshake(api, vin, session.domain)

    async def _exchange(self, api: FleetApi, vin: str, message: um.RoutableMessage) -> um.RoutableMessage:
        answer = await api.signed_command(vin, encode_routable(message))
        try:
            reply = decode_routable(answer)
        except MessageDecodeError as exc:
            raise UpstreamError.answer_lost(f"vehicle reply does not decode: {exc}") from exc
        if not answers(reply, message):
            raise UpstreamError.answer_lost("vehicle reply answers another request")
        return reply


def _outcome(domain: int, plaintext: bytes) -> CommandResult:
    try:
        if domain == DOMAIN_INFOTAINMENT:
            return _infotainment_outcome(plaintext)
        return _vcsec_outcome(plaintext)
    except DecodeError as exc:
        raise UpstreamError.answer_lost("vehicle reply payload does not decode") from exc


def _infotainment_outcome(plaintext: bytes) -> CommandResult:
    response = cs.Response()
    response.ParseFromString(plaintext)
    status = response.actionStatus
    if response.HasField("actionStatus") and status.result == cs.OPERATIONSTATUS_ERROR:
        # The car's own reason (`already_set`, `disconnected`…), as the REST path reports it.
        raise CommandRefused(status.result_reason.plain_text or "unspecified error")
    return CommandResult(True, "", signed=True)


def _vcsec_outcome(plaintext: bytes) -> CommandResult:
    message = vcsec.FromVCSECMessage()
    message.ParseFromString(plaintext)
    if message.HasField("nominalError"):
        code = message.nominalError.genericError
        error = errors_pb2.GenericError_E.Name(code) if code in errors_pb2.GenericError_E.values() else str(code)
        raise CommandRefused(f"vcsec could not execute command: {error}")
    if message.HasField("commandStatus") and message.commandStatus.operationStatus == vcsec.OPERATIONSTATUS_ERROR:
        raise CommandRefused("vcsec could not execute command")
    return CommandResult(True, "", signed=True)
