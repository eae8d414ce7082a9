"""The telemetry envelope: what we write is what Tesla's Go builder writes, and what we read never surprises us."""

import contextlib
import random

import pytest

from fleetgate.protocol.telemetry.envelope import (
    INCORRECT_MESSAGE_FORMAT,
    FormatErrorReply,
    MalformedFrame,
    StreamAck,
    StreamMessage,
    decode_frame,
    encode_ack,
    encode_format_error,
    encode_stream,
    format_error_of,
)

RECORD = StreamMessage(
    txid=b"tx",
    topic=b"V",
    message_id=b"id1",
    created_at=0x01020304,
    sender_id=b"vehicle_device.VIN1",
    device_type=b"vehicle_device",
    device_id=b"VIN1",
    payload=b"\x0a\x00",
    delivered_at_epoch_ms=0,
)


def _le32(value: int) -> str:
    return value.to_bytes(4, "little").hex()


# RECORD as the Go builder lays it out, back to front: the stream's vectors, its table, the envelope's vectors,
# its table, the root offset. Tables point at their vtables with a signed offset; fields are relative to where
# they are read.
GOLDEN_STREAM = bytes.fromhex(
    "".join(
        [
            _le32(20),  # root: the envelope's table at 20
            "0000",  # padding before the envelope's vtable
            "0e00 1800",  # envelope vtable at 6: 14 bytes long, table of 24
            "1400 1000 0f00 0800 0400",  # txid +20, topic +16, message type +15, message +8, message id +4
            _le32(14),  # envelope table at 20: its vtable 14 bytes back
            _le32(20),  # message id → 44
            _le32(56),  # message → the stream's table at 84
            "000000 04",  # padding, then the union's type: 4, FlatbuffersStream
            _le32(16),  # topic → 52
            _le32(20),  # txid → 60
            _le32(3) + b"id1\0".hex(),  # 44: message id
            _le32(1) + b"V\0".hex() + "0000",  # 52: topic
            _le32(2) + b"tx\0".hex() + "00",  # 60: txid
            "0000",  # padding before the stream's vtable
            "0e00 1800",  # stream vtable at 70: 14 bytes long, table of 24; the delivery time is 0, not written
            "1000 1400 0c00 0800 0400",  # created at +16, sender +20, payload +12, device type +8, device id +4
            _le32(14),  # stream table at 84
            _le32(20),  # device id → 108
            _le32(28),  # device type → 120
            _le32(44),  # payload → 140
            _le32(0x01020304),  # created at, a uint32 in the table itself
            _le32(44),  # sender id → 148
            _le32(4) + b"VIN1\0".hex() + "000000",  # 108: device id
            _le32(14) + b"vehicle_device\0".hex() + "00",  # 120: device type
            _le32(2) + "0a00" + "00" + "00",  # 140: payload
            _le32(19) + b"vehicle_device.VIN1\0".hex(),  # 148: sender id, to 172
        ]
    ).replace(" ", "")
)


def test_a_stream_frame_is_laid_out_as_tesla_lays_it_out() -> None:
    assert encode_stream(RECORD) == GOLDEN_STREAM


# Tesla's ack names no message id, and its union's value is an empty byte vector, made before the others.
GOLDEN_ACK = bytes.fromhex(
    "".join(
        [
            _le32(20),
            "0000",
            "0e00 1800",
            "1400 1000 0f00 0800 0400",
            _le32(14),  # envelope table at 20
            _le32(20),  # message id → 44
            _le32(40),  # message → 68, the empty vector
            "000000 05",  # the union's type: 5, FlatbuffersStreamAck
            _le32(16),  # topic → 52
            _le32(20),  # txid → 60
            _le32(0) + "00000000",  # 44: message id, empty
            _le32(1) + b"V\0".hex() + "0000",  # 52: topic
            _le32(2) + b"tx\0".hex() + "00",  # 60: txid
            _le32(0) + "00000000",  # 68: the union's empty vector
        ]
    ).replace(" ", "")
)


def test_an_ack_is_laid_out_as_tesla_lays_it_out() -> None:
    assert encode_ack(StreamAck(txid=b"tx", topic=b"V", message_id=b"")) == GOLDEN_ACK
    assert decode_frame(GOLDEN_ACK) == StreamAck(txid=b"tx", topic=b"V", message_id=b"")


def test_a_golden_stream_frame_decodes() -> None:
    assert decode_frame(GOLDEN_STREAM) == RECORD


@pytest.mark.parametrize(
    "message",
    [
        RECORD,
        StreamMessage(
            txid=b"\x00\xff" * 20,
            topic=b"connectivity",
            message_id=b"m" * 37,
            created_at=2**32 - 1,
            sender_id=b"",
            device_type=b"",
            device_id=b"",
            payload=bytes(range(256)) * 40,
            delivered_at_epoch_ms=2**64 - 1,
        ),
        StreamMessage(b"", b"", b"", 0, b"", b"", b"", b"", 0),
    ],
)
def test_stream_messages_round_trip(message: StreamMessage) -> None:
    assert decode_frame(encode_stream(message)) == message


def test_acks_round_trip() -> None:
    ack = StreamAck(txid=b"5f1c", topic=b"alerts", message_id=b"42")
    assert decode_frame(encode_ack(ack)) == ack


def test_the_reply_to_a_malformed_frame_is_a_stream_message_with_only_the_reason() -> None:
    frame = encode_format_error(FormatErrorReply(txid=b"tx", reason=INCORRECT_MESSAGE_FORMAT))

    message = decode_frame(frame)

    assert isinstance(message, StreamMessage)
    assert (message.txid, message.topic, message.payload) == (b"tx", b"", b"incorrect message format")
    assert format_error_of(message) == FormatErrorReply(txid=b"tx", reason="incorrect message format")
    assert format_error_of(RECORD) is None


def test_an_unknown_message_type_is_malformed() -> None:
    frame = bytearray(GOLDEN_ACK)
    frame[35] = 7

    with pytest.raises(MalformedFrame, match="unknown message type 7"):
        decode_frame(bytes(frame))


def test_a_stream_without_its_message_is_malformed() -> None:
    frame = bytearray(GOLDEN_STREAM)
    frame[14:16] = b"\x00\x00"  # the message slot of the vtable

    with pytest.raises(MalformedFrame):
        decode_frame(bytes(frame))


@pytest.mark.parametrize(("frame", "readable_from"), [(GOLDEN_STREAM, 171), (GOLDEN_ACK, 66)])
def test_truncated_frames_are_malformed(frame: bytes, readable_from: int) -> None:
    # A frame is readable without its last null terminator and padding, and an ack without its union's value.
    for length in range(readable_from):
        with pytest.raises(MalformedFrame):
            decode_frame(frame[:length])


def test_random_and_corrupted_bytes_raise_only_malformed_frame() -> None:
    rng = random.Random(14)
    frames = [rng.randbytes(rng.randrange(0, 200)) for _ in range(2000)]
    for _ in range(2000):
        corrupted = bytearray(GOLDEN_STREAM)
        for _ in range(rng.randrange(1, 4)):
            corrupted[rng.randrange(len(corrupted))] = rng.randrange(256)
        frames.append(bytes(corrupted))
    for frame in frames:
        with contextlib.suppress(MalformedFrame):
            decode_frame(frame)
