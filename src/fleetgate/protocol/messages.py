"""RoutableMessage framing as the Fleet API's `signed_command` endpoint carries it (base64 in JSON)."""

from __future__ import annotations

import base64
import binascii

from google.protobuf.message import DecodeError
from tesla_protocol.command import universal_message_pb2 as um


class MessageDecodeError(ValueError):
    pass


def encode_routable(message: um.RoutableMessage) -> str:
    return base64.b64encode(message.SerializeToString()).decode()


def decode_routable(text: str) -> um.RoutableMessage:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MessageDecodeError("routable_message is not valid base64") from exc
    message = um.RoutableMessage()
    try:
        message.ParseFromString(raw)
    except DecodeError as exc:
        raise MessageDecodeError("routable_message is not a RoutableMessage") from exc
    return message
