"""The TLV metadata that both sides hash or MAC next to every payload.

Entries are (tag, length, value) with one-byte tags and lengths, strictly ascending by tag, and end with
`TAG_END` (0xFF). Integers are four bytes, big-endian.
"""

from __future__ import annotations

from tesla_protocol.command import signatures_pb2

TAG_END = signatures_pb2.TAG_END


class MetadataError(ValueError):
    pass


class Metadata:
    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._last_tag = -1

    def add(self, tag: int, value: bytes) -> Metadata:
        if tag <= self._last_tag:
            raise MetadataError(f"metadata tags must ascend: {tag} after {self._last_tag}")
        if len(value) > 255:
            raise MetadataError(f"metadata value for tag {tag} is longer than 255 bytes")
        self._parts.append(bytes((tag, len(value))) + value)
        self._last_tag = tag
        return self

    def add_uint32(self, tag: int, value: int) -> Metadata:
        return self.add(tag, value.to_bytes(4, "big"))

    def add_uint8(self, tag: int, value: int) -> Metadata:
        return self.add(tag, bytes((value,)))

    def encode(self) -> bytes:
        return b"".join(self._parts) + bytes((TAG_END,))
