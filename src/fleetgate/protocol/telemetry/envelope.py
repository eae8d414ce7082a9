"""The FlatBuffers envelope of every frame on the telemetry WebSocket, laid out as Tesla's Go builder lays it out.

Tesla publishes no schema, only generated Go code (fleet-telemetry `messages/tesla/`), which fixes it:

    table FlatbuffersEnvelope { txid: [ubyte]; topic: [ubyte]; message: Message (type slot 2, value slot 3);
                                messageId: [ubyte]; }
    union Message { FlatbuffersStream = 4, FlatbuffersStreamAck = 5 }
    table FlatbuffersStream { createdAt: uint32; senderId: [ubyte]; payload: [ubyte]; deviceType: [ubyte];
                              deviceId: [ubyte]; deliveredAtEpochMs: uint64; }

Two of the server's habits are kept: an ack's union value is an empty byte vector rather than a table, and the
reply to a malformed record is a stream message with only the txid and the reason as its payload.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import flatbuffers  # type: ignore[import-untyped]
from flatbuffers import number_types

MESSAGE_STREAM = 4
MESSAGE_STREAM_ACK = 5

INCORRECT_MESSAGE_FORMAT = "incorrect message format"

# Slots by position, as the generated Add* functions number them.
_ENVELOPE_TXID, _ENVELOPE_TOPIC, _ENVELOPE_MESSAGE_TYPE, _ENVELOPE_MESSAGE, _ENVELOPE_MESSAGE_ID = range(5)
(
    _STREAM_CREATED_AT,
    _STREAM_SENDER_ID,
    _STREAM_PAYLOAD,
    _STREAM_DEVICE_TYPE,
    _STREAM_DEVICE_ID,
    _STREAM_DELIVERED_AT,
) = range(6)


@dataclass(frozen=True, slots=True)
class StreamMessage:
    txid: bytes
    topic: bytes
    message_id: bytes
    created_at: int  # seconds
    sender_id: bytes
    device_type: bytes
    device_id: bytes
    payload: bytes
    delivered_at_epoch_ms: int


@dataclass(frozen=True, slots=True)
class StreamAck:
    txid: bytes
    topic: bytes
    message_id: bytes


@dataclass(frozen=True, slots=True)
class FormatErrorReply:
    """The server's answer to a frame it could not read: the frame's txid (empty when unreadable) and a reason."""

    txid: bytes
    reason: str


class MalformedFrame(ValueError):
    pass


def encode_stream(message: StreamMessage) -> bytes:
    builder = flatbuffers.Builder(0)
    sender_id = builder.CreateString(message.sender_id)
    payload = builder.CreateString(message.payload)
    device_type = builder.CreateString(message.device_type)
    device_id = builder.CreateString(message.device_id)
    builder.StartObject(6)
    # The order of Tesla's FlatbuffersStreamToBytes, which decides where each field lands.
    builder.PrependUOffsetTRelativeSlot(_STREAM_SENDER_ID, sender_id, 0)
    builder.PrependUint32Slot(_STREAM_CREATED_AT, message.created_at, 0)
    builder.PrependUOffsetTRelativeSlot(_STREAM_PAYLOAD, payload, 0)
    builder.PrependUOffsetTRelativeSlot(_STREAM_DEVICE_TYPE, device_type, 0)
    builder.PrependUOffsetTRelativeSlot(_STREAM_DEVICE_ID, device_id, 0)
    builder.PrependUint64Slot(_STREAM_DELIVERED_AT, message.delivered_at_epoch_ms, 0)
    stream = builder.EndObject()
    return _finish_envelope(builder, message.txid, message.topic, stream, message.message_id, MESSAGE_STREAM)


def encode_ack(ack: StreamAck) -> bytes:
    builder = flatbuffers.Builder(0)
    empty = builder.CreateString(b"")
    return _finish_envelope(builder, ack.txid, ack.topic, empty, ack.message_id, MESSAGE_STREAM_ACK)


def encode_format_error(reply: FormatErrorReply) -> bytes:
    return encode_stream(
        StreamMessage(
            txid=reply.txid,
            topic=b"",
            message_id=b"",
            created_at=0,
            sender_id=b"",
            device_type=b"",
            device_id=b"",
            payload=reply.reason.encode(),
            delivered_at_epoch_ms=0,
        )
    )


def format_error_of(message: StreamMessage) -> FormatErrorReply | None:
    """The error reply a decoded stream message is, if it is one: every real record names its topic."""
    if message.topic:
        return None
    return FormatErrorReply(txid=message.txid, reason=message.payload.decode(errors="replace"))


def decode_frame(frame: bytes) -> StreamMessage | StreamAck:
    envelope = _Table.root(frame)
    txid = envelope.byte_vector(_ENVELOPE_TXID)
    topic = envelope.byte_vector(_ENVELOPE_TOPIC)
    message_id = envelope.byte_vector(_ENVELOPE_MESSAGE_ID)
    message_type = envelope.scalar(_ENVELOPE_MESSAGE_TYPE, number_types.Uint8Flags)
    if message_type == MESSAGE_STREAM_ACK:
        return StreamAck(txid=txid, topic=topic, message_id=message_id)
    if message_type != MESSAGE_STREAM:
        raise MalformedFrame(f"unknown message type {message_type}")
    stream = envelope.table(_ENVELOPE_MESSAGE)
    if stream is None:
        raise MalformedFrame("stream frame without its message")
    return StreamMessage(
        txid=txid,
        topic=topic,
        message_id=message_id,
        created_at=stream.scalar(_STREAM_CREATED_AT, number_types.Uint32Flags),
        sender_id=stream.byte_vector(_STREAM_SENDER_ID),
        device_type=stream.byte_vector(_STREAM_DEVICE_TYPE),
        device_id=stream.byte_vector(_STREAM_DEVICE_ID),
        payload=stream.byte_vector(_STREAM_PAYLOAD),
        delivered_at_epoch_ms=stream.scalar(_STREAM_DELIVERED_AT, number_types.Uint64Flags),
    )


def _finish_envelope(
    builder: flatbuffers.Builder, txid: bytes, topic: bytes, message: int, message_id: bytes, message_type: int
) -> bytes:
    txid_vector = builder.CreateString(txid)
    topic_vector = builder.CreateString(topic)
    message_id_vector = builder.CreateString(message_id)
    builder.StartObject(5)
    builder.PrependUOffsetTRelativeSlot(_ENVELOPE_TXID, txid_vector, 0)
    builder.PrependUOffsetTRelativeSlot(_ENVELOPE_TOPIC, topic_vector, 0)
    builder.PrependUint8Slot(_ENVELOPE_MESSAGE_TYPE, message_type, 0)
    builder.PrependUOffsetTRelativeSlot(_ENVELOPE_MESSAGE, message, 0)
    builder.PrependUOffsetTRelativeSlot(_ENVELOPE_MESSAGE_ID, message_id_vector, 0)
    builder.Finish(builder.EndObject())
    return bytes(builder.Output())


_UOFFSET = 4
_VOFFSET = 2


class _Table:
    """A flatbuffers Table whose every read is checked against the frame's bounds first.

    The generated readers trust their input; a car's frame (or a receiver's) is not trusted.
    """

    def __init__(self, frame: bytes, position: int) -> None:
        self._frame = frame
        self._check(position, _UOFFSET)
        vtable = position - struct.unpack_from("<i", frame, position)[0]
        self._check(vtable, 2 * _VOFFSET)
        vtable_size, table_size = struct.unpack_from("<HH", frame, vtable)
        if vtable_size < 2 * _VOFFSET or vtable_size % 2:
            raise MalformedFrame("bad vtable")
        self._check(vtable, vtable_size)
        self._check(position, max(table_size, _UOFFSET))
        self._table_size = table_size
        self._table = flatbuffers.table.Table(frame, position)

    @classmethod
    def root(cls, frame: bytes) -> _Table:
        if len(frame) < _UOFFSET:
            raise MalformedFrame("frame too short")
        return cls(bytes(frame), struct.unpack_from("<I", frame, 0)[0])

    def scalar(self, slot: int, flags: type[number_types.NumberType]) -> int:
        offset = self._field(slot, flags.bytewidth)
        if offset == 0:
            return 0
        return int(self._table.Get(flags, self._table.Pos + offset))

    def byte_vector(self, slot: int) -> bytes:
        offset = self._field(slot, _UOFFSET)
        if offset == 0:
            return b""
        start = self._referenced(self._table.Pos + offset)
        self._check(start, _UOFFSET)
        length = struct.unpack_from("<I", self._frame, start)[0]
        self._check(start + _UOFFSET, length)
        return self._frame[start + _UOFFSET : start + _UOFFSET + length]

    def table(self, slot: int) -> _Table | None:
        offset = self._field(slot, _UOFFSET)
        if offset == 0:
            return None
        return _Table(self._frame, self._referenced(self._table.Pos + offset))

    def _field(self, slot: int, width: int) -> int:
        offset = int(self._table.Offset(4 + slot * _VOFFSET))
        if offset and offset + width > self._table_size:
            raise MalformedFrame("field outside its table")
        return offset

    def _referenced(self, position: int) -> int:
        self._check(position, _UOFFSET)
        return position + int(struct.unpack_from("<I", self._frame, position)[0])

    def _check(self, position: int, size: int) -> None:
        if position < 0 or size < 0 or position + size > len(self._frame):
            raise MalformedFrame("offset outside the frame")
