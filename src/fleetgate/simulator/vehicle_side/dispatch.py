"""The car receiving a `RoutableMessage`: route it to a domain, answer handshakes, verify and run commands.

Commands run through `vehicles.commands.execute`, the same rules as the REST path; this module only turns the
outcome into the domain's reply: `CarServer.Response{actionStatus}` for infotainment, `FromVCSECMessage`
(`commandStatus` OK, or `nominalError` on a refusal) for VCSEC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import errors_pb2 as errors
from tesla_protocol.command import universal_message_pb2 as um
from tesla_protocol.command import vcsec_pb2 as vcsec

from fleetgate.protocol.authentication import DOMAIN_VEHICLE_SECURITY
from fleetgate.protocol.crypto import shared_key
from fleetgate.protocol.keys import KeyFormatError
from fleetgate.simulator.vehicle_side import replies
from fleetgate.simulator.vehicle_side.actions import Command, Ping, Undecodable, Unsupported, decode
from fleetgate.simulator.vehicle_side.domains import DomainState
from fleetgate.simulator.vehicle_side.privileges import role_allows
from fleetgate.simulator.vehicle_side.verifier import Fault, verify
from fleetgate.simulator.vehicles.commands import CommandOutcome, InvalidParameter, UnknownCommand, execute
from fleetgate.simulator.vehicles.vehicle import Vehicle
from fleetgate.simulator.world import World

NOT_SUPPORTED = "not_supported"


def handle(world: World, vehicle: Vehicle, request: um.RoutableMessage, *, client_id: str) -> um.RoutableMessage:
    domain = request.to_destination.domain
    state: DomainState | None = vehicle.domains.get(domain)
    now = world.now()
    if state is None:
        return replies.fault_reply(
            request, domain, Fault(um.MESSAGEFAULT_ERROR_INVALID_DOMAINS), state=None, vin=vehicle.vin, now=now
        )
    if request.HasField("session_info_request"):
        return handshake(vehicle, state, request, now)
    try:
        verified = verify(vehicle, state, request, now)
        decoded = decode(domain, request.protobuf_message_as_bytes)
        if isinstance(decoded, Undecodable):
            raise Fault(um.MESSAGEFAULT_ERROR_DECODING)
        if not role_allows(verified.entry.role, decoded):
            raise Fault(um.MESSAGEFAULT_ERROR_INSUFFICIENT_PRIVILEGES)
    except Fault as fault:
        return replies.fault_reply(request, domain, fault, state=state, vin=vehicle.vin, now=now)
    if domain == DOMAIN_VEHICLE_SECURITY:
        payload = _vcsec_response(world, vehicle, decoded, client_id).SerializeToString()
    else:
        payload = _infotainment_response(world, vehicle, decoded, client_id, now).SerializeToString()
    return replies.command_reply(request, state, verified, payload, vin=vehicle.vin)


def handshake(vehicle: Vehicle, state: DomainState, request: um.RoutableMessage, now: float) -> um.RoutableMessage:
    client_key = request.session_info_request.public_key
    if vehicle.key_entry(client_key) is None:
        return replies.not_on_whitelist(request, state.domain)
    try:
        k = shared_key(state.private_key, client_key)
    except KeyFormatError:
        return replies.not_on_whitelist(request, state.domain)
    reply = replies.envelope(request, state.domain)
    replies.attach_session_info(reply, request, state, client_key, k, vehicle.vin, now)
    return reply


def _run(world: World, vehicle: Vehicle, command: Command, client_id: str) -> CommandOutcome:
    try:
        return execute(world, vehicle, command.name, dict(command.params), via="signed", client_id=client_id)
    except UnknownCommand:
        return CommandOutcome(False, NOT_SUPPORTED)
    except InvalidParameter as exc:
        return CommandOutcome(False, exc.reason)


def _infotainment_response(
    world: World, vehicle: Vehicle, decoded: Command | Ping | Unsupported, client_id: str, now: float
) -> cs.Response:
    response = cs.Response()
    if isinstance(decoded, Ping):
        response.actionStatus.result = cs.OPERATIONSTATUS_OK
        response.ping.ping_id = decoded.ping_id
        response.ping.local_timestamp.FromDatetime(datetime.fromtimestamp(now, UTC))
        return response
    outcome = _run(world, vehicle, decoded, client_id) if isinstance(decoded, Command) else None
    if outcome is not None and outcome.result:
        response.actionStatus.result = cs.OPERATIONSTATUS_OK
    else:
        response.actionStatus.result = cs.OPERATIONSTATUS_ERROR
        response.actionStatus.result_reason.plain_text = outcome.reason if outcome else NOT_SUPPORTED
    return response


def _vcsec_response(
    world: World, vehicle: Vehicle, decoded: Command | Ping | Unsupported, client_id: str
) -> vcsec.FromVCSECMessage:
    response = vcsec.FromVCSECMessage()
    if not isinstance(decoded, Command):
        response.nominalError.genericError = errors.GENERICERROR_NOT_SUPPORTED
        return response
    outcome = _run(world, vehicle, decoded, client_id)
    if outcome.result:
        response.commandStatus.operationStatus = vcsec.OPERATIONSTATUS_OK
    else:
        response.nominalError.genericError = generic_error(outcome.reason)
    return response


def generic_error(reason: str) -> errors.GenericError_E:
    """VCSEC reports refusals as a small enum; the REST reason is the best hint of which one."""
    text = reason.lower()
    if text == NOT_SUPPORTED:
        return errors.GENERICERROR_NOT_SUPPORTED
    if "park" in text or "gear" in text:
        return errors.GENERICERROR_VEHICLE_NOT_IN_PARK
    if "already" in text:
        return errors.GENERICERROR_ALREADY_ON
    if "open" in text:
        return errors.GENERICERROR_CLOSURES_OPEN
    if "disabled" in text or "not allowed" in text:
        return errors.GENERICERROR_DISABLED_FOR_USER_COMMAND
    return errors.GENERICERROR_UNKNOWN
