"""What each side computes to authenticate session info, commands and responses.

The vehicle (simulator) and the client (gateway) call the same functions, so a mistake here shows up as a
failure against Tesla's published test vectors rather than as two halves that agree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from tesla_protocol.command import signatures_pb2 as sig
from tesla_protocol.command import universal_message_pb2 as um

from fleetgate.protocol.crypto import (
    command_hmac_key,
    gcm_decrypt,
    gcm_encrypt,
    hmac_sha256,
    session_info_key,
)
from fleetgate.protocol.metadata import Metadata

DOMAIN_VEHICLE_SECURITY = um.DOMAIN_VEHICLE_SECURITY
DOMAIN_INFOTAINMENT = um.DOMAIN_INFOTAINMENT
ENCRYPT_RESPONSE_FLAG = 1 << um.FLAG_ENCRYPT_RESPONSE
VCSEC_REQUEST_HASH_LENGTH = 17


def session_info_metadata(vin: str, challenge: bytes) -> bytes:
    return (
        Metadata()
        .add_uint8(sig.TAG_SIGNATURE_TYPE, sig.SIGNATURE_TYPE_HMAC)
        .add(sig.TAG_PERSONALIZATION, vin.encode())
        .add(sig.TAG_CHALLENGE, challenge)
        .encode()
    )


def session_info_tag(k: bytes, vin: str, challenge: bytes, session_info: bytes) -> bytes:
    return hmac_sha256(session_info_key(k), session_info_metadata(vin, challenge) + session_info)


@dataclass(frozen=True, slots=True)
class CommandAuth:
    """The fields a signed command carries next to its payload, and that its metadata is built from."""

    signature_type: int
    domain: int
    vin: str
    epoch: bytes
    expires_at: int
    counter: int
    flags: int = 0

    def metadata(self) -> bytes:
        meta = (
            Metadata()
            .add_uint8(sig.TAG_SIGNATURE_TYPE, self.signature_type)
            .add_uint8(sig.TAG_DOMAIN, self.domain)
            .add(sig.TAG_PERSONALIZATION, self.vin.encode())
            .add(sig.TAG_EPOCH, self.epoch)
            .add_uint32(sig.TAG_EXPIRES_AT, self.expires_at)
            .add_uint32(sig.TAG_COUNTER, self.counter)
        )
        # Older vehicles predate flags; the field is in the metadata only when it is set.
        if self.flags:
            meta.add_uint32(sig.TAG_FLAGS, self.flags)
        return meta.encode()


def command_hmac_tag(k: bytes, auth: CommandAuth, payload: bytes) -> bytes:
    return hmac_sha256(command_hmac_key(k), auth.metadata() + payload)


def gcm_request_decrypt(k: bytes, auth: CommandAuth, nonce: bytes, ciphertext: bytes, tag: bytes) -> bytes:
    return gcm_decrypt(k, nonce, ciphertext, tag, auth.metadata())


def gcm_request_encrypt(k: bytes, auth: CommandAuth, nonce: bytes, plaintext: bytes) -> tuple[bytes, bytes]:
    return gcm_encrypt(k, nonce, plaintext, auth.metadata())


def request_hash(domain: int, signature_type: int, request_tag: bytes) -> bytes:
    """Binds a response to its request; VCSEC keeps only the first 17 bytes."""
    value = bytes((signature_type,)) + request_tag
    if domain == DOMAIN_VEHICLE_SECURITY:
        return value[:VCSEC_REQUEST_HASH_LENGTH]
    return value


@dataclass(frozen=True, slots=True)
class ResponseAuth:
    domain: int
    vin: str
    counter: int
    flags: int
    request_hash: bytes
    fault: int

    def metadata(self) -> bytes:
        return (
            Metadata()
            .add_uint8(sig.TAG_SIGNATURE_TYPE, sig.SIGNATURE_TYPE_AES_GCM_RESPONSE)
            .add_uint8(sig.TAG_DOMAIN, self.domain)
            .add(sig.TAG_PERSONALIZATION, self.vin.encode())
            .add_uint32(sig.TAG_COUNTER, self.counter)
            .add_uint32(sig.TAG_FLAGS, self.flags)
            .add(sig.TAG_REQUEST_HASH, self.request_hash)
            .add_uint32(sig.TAG_FAULT, self.fault)
            .encode()
        )


def encrypt_response(k: bytes, auth: ResponseAuth, nonce: bytes, plaintext: bytes) -> tuple[bytes, bytes]:
    return gcm_encrypt(k, nonce, plaintext, auth.metadata())


def decrypt_response(k: bytes, auth: ResponseAuth, nonce: bytes, ciphertext: bytes, tag: bytes) -> bytes:
    return gcm_decrypt(k, nonce, ciphertext, tag, auth.metadata())
