"""What the Fleet API checks in a `signed_command` before it forwards the message to the car.

It cannot verify signatures (only the car holds its keys), but HMAC-signed payloads are plaintext, so it reads
them to enforce the OAuth scope of the command inside. AES-GCM-encrypted commands would hide that, so the Fleet
API refuses them outright; they are for Bluetooth.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from tesla_protocol.command import universal_message_pb2 as um

from fleetgate.protocol.messages import MessageDecodeError, decode_routable
from fleetgate.simulator.envelope import TeslaHTTPError
from fleetgate.simulator.vehicle_side.actions import Command, Ping, decode
from fleetgate.simulator.vehicles.commands import UnknownCommand, required_scopes

COMMAND_SCOPES = ("vehicle_cmds", "vehicle_charging_cmds")
# Payloads the Fleet API cannot name (unsupported or undecodable) need the broadest command scope.
UNNAMED_PAYLOAD_SCOPES = ("vehicle_cmds",)
ENCRYPTED_REFUSED = "signed_command accepts only HMAC-authenticated commands; AES-GCM commands are for BLE"


def invalid_request(description: str) -> TeslaHTTPError:
    return TeslaHTTPError(400, "invalid_request", description)


async def read_routable_message(request: Request) -> um.RoutableMessage:
    try:
        body: Any = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise invalid_request("the body must be a JSON object") from exc
    text = body.get("routable_message") if isinstance(body, dict) else None
    if not isinstance(text, str) or not text:
        raise invalid_request("routable_message is required (base64 RoutableMessage)")
    try:
        message = decode_routable(text)
    except MessageDecodeError as exc:
        raise invalid_request(str(exc)) from exc
    if message.WhichOneof("payload") not in ("protobuf_message_as_bytes", "session_info_request"):
        raise invalid_request("routable_message carries neither a command nor a session_info_request")
    if message.signature_data.HasField("AES_GCM_Personalized_data"):
        raise invalid_request(ENCRYPTED_REFUSED)
    return message


def scopes_for(message: um.RoutableMessage) -> tuple[str, ...]:
    """Any one of the returned scopes lets the message through."""
    if message.HasField("session_info_request"):
        return COMMAND_SCOPES
    decoded = decode(message.to_destination.domain, message.protobuf_message_as_bytes)
    if not isinstance(decoded, Command):
        # A ping is as harmless as a handshake; anything the Fleet API cannot name needs full command access.
        return COMMAND_SCOPES if isinstance(decoded, Ping) else UNNAMED_PAYLOAD_SCOPES
    try:
        return required_scopes(decoded.name)
    except UnknownCommand:
        return UNNAMED_PAYLOAD_SCOPES
