"""Building the RoutableMessages a client sends, and checking the ones it gets back."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric import ec
from tesla_protocol.command import signatures_pb2 as sig
from tesla_protocol.command import universal_message_pb2 as um

from fleetgate.protocol.authentication import (
    ENCRYPT_RESPONSE_FLAG,
    CommandAuth,
    ResponseAuth,
    command_hmac_tag,
    decrypt_response,
    request_hash,
    session_info_tag,
)
from fleetgate.protocol.crypto import shared_key, tags_equal
from fleetgate.tesla.signing.session import VehicleSession


class ReplyError(Exception):
    """The vehicle's reply is malformed or fails authentication: it cannot be trusted."""


@dataclass(frozen=True, slots=True)
class SentCommand:
    message: um.RoutableMessage
    uuid: bytes
    hmac_tag: bytes


def _addressed(domain: int) -> tuple[um.RoutableMessage, bytes]:
    uuid = secrets.token_bytes(16)
    message = um.RoutableMessage(
        to_destination=um.Destination(domain=domain),  # type: ignore[arg-type]
        from_destination=um.Destination(routing_address=secrets.token_bytes(16)),
        uuid=uuid,
    )
    return message, uuid


def session_info_request(domain: int, signer: bytes) -> tuple[um.RoutableMessage, bytes]:
    """`signer` is our public key, as `keys.public_key_bytes` encodes it."""
    message, uuid = _addressed(domain)
    message.session_info_request.public_key = signer
    return message, uuid


def answers(reply: um.RoutableMessage, request: um.RoutableMessage) -> bool:
    """Whether `reply` is addressed to `request`: by the echoed uuid, or (VCSEC may omit it) the routing address."""
    if reply.request_uuid:
        return tags_equal(bytes(reply.request_uuid), bytes(request.uuid))
    return tags_equal(bytes(reply.to_destination.routing_address), bytes(request.from_destination.routing_address))


def read_session_info(
    reply: um.RoutableMessage, *, key: ec.EllipticCurvePrivateKey, vin: str, challenge: bytes
) -> tuple[sig.SessionInfo, bytes | None]:
    """The session info of a reply and, when the vehicle knows our key, the shared key K it was tagged with.

    A vehicle that does not know our key answers KEY_NOT_ON_WHITELIST without a key or a tag, so that status is
    returned unauthenticated (K is None); anything else must carry a valid tag over our challenge.
    """
    info = sig.SessionInfo()
    try:
        info.ParseFromString(reply.session_info)
    except Exception as exc:
        raise ReplyError("session info does not decode") from exc
    if info.status == sig.SESSION_INFO_STATUS_KEY_NOT_ON_WHITELIST:
        return info, None
    try:
        k = shared_key(key, bytes(info.publicKey))
    except ValueError as exc:
        raise ReplyError("session info carries no valid vehicle key") from exc
    expected = session_info_tag(k, vin, challenge, reply.session_info)
    if not tags_equal(expected, reply.signature_data.session_info_tag.tag):
        raise ReplyError("session info tag does not verify")
    return info, k


def signed_command(session: VehicleSession, signer: bytes, payload: bytes, *, now: float, ttl: int) -> SentCommand:
    message, uuid = _addressed(session.domain)
    message.flags = ENCRYPT_RESPONSE_FLAG
    auth = CommandAuth(
        signature_type=sig.SIGNATURE_TYPE_HMAC_PERSONALIZED,
        domain=session.domain,
        vin=session.vin,
        epoch=session.epoch,
        expires_at=session.vehicle_clock(now) + ttl,
        counter=session.next_counter(),
        flags=ENCRYPT_RESPONSE_FLAG,
    )
    tag = command_hmac_tag(session.shared_key, auth, payload)
    message.protobuf_message_as_bytes = payload
    message.signature_data.signer_identity.public_key = signer
    hmac_data = message.signature_data.HMAC_Personalized_data
    hmac_data.epoch = auth.epoch
    hmac_data.counter = auth.counter
    hmac_data.expires_at = auth.expires_at
    hmac_data.tag = tag
    return SentCommand(message=message, uuid=uuid, hmac_tag=tag)


def reply_plaintext(reply: um.RoutableMessage, sent: SentCommand, session: VehicleSession) -> bytes:
    """The reply's payload, decrypted and authenticated: the request hash in its metadata ties it to `sent`.

    Firmware before 2024.38 ignores `FLAG_ENCRYPT_RESPONSE` and answers in clear; a car that has encrypted a
    reply in this session does not go back to clear text, so a plaintext reply from it is refused.
    """
    if not reply.signature_data.HasField("AES_GCM_Response_data"):
        if session.encrypts_responses:
            raise ReplyError("the vehicle answered in clear text after encrypting its replies")
        return bytes(reply.protobuf_message_as_bytes)
    data = reply.signature_data.AES_GCM_Response_data
    auth = ResponseAuth(
        domain=reply.from_destination.domain,
        vin=session.vin,
        counter=data.counter,
        flags=reply.flags,
        request_hash=request_hash(session.domain, sig.SIGNATURE_TYPE_HMAC_PERSONALIZED, sent.hmac_tag),
        fault=reply.signedMessageStatus.signed_message_fault,
    )
    try:
        plaintext = decrypt_response(
            session.shared_key, auth, bytes(data.nonce), bytes(reply.protobuf_message_as_bytes), bytes(data.tag)
        )
    except (InvalidTag, ValueError) as exc:
        raise ReplyError("the encrypted reply does not authenticate") from exc
    session.encrypts_responses = True
    return plaintext
