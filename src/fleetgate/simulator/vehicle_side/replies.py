"""The car's answers: envelope, tagged session info, faults, and (optionally encrypted) command responses.

Every reply goes back to the request's routing address and echoes its uuid, so both ways clients match
replies (VCSEC by address, infotainment by uuid) work. Only session info is authenticated (HMAC tag); command
responses are encrypted and authenticated with AES-GCM when the request set `FLAG_ENCRYPT_RESPONSE`, and are
plaintext otherwise.
"""

from __future__ import annotations

from tesla_protocol.command import signatures_pb2 as sig
from tesla_protocol.command import universal_message_pb2 as um

from fleetgate.protocol.authentication import (
    ENCRYPT_RESPONSE_FLAG,
    ResponseAuth,
    encrypt_response,
    request_hash,
    session_info_tag,
)
from fleetgate.protocol.crypto import random_nonce
from fleetgate.protocol.keys import public_key_bytes
from fleetgate.simulator.vehicle_side.domains import DomainState
from fleetgate.simulator.vehicle_side.verifier import Fault, Verified


def envelope(request: um.RoutableMessage, domain: int) -> um.RoutableMessage:
    reply = um.RoutableMessage()
    reply.to_destination.routing_address = request.from_destination.routing_address
    reply.from_destination.domain = domain  # type: ignore[assignment]
    reply.request_uuid = request.uuid
    return reply


def session_info_bytes(state: DomainState, signer: bytes, now: float) -> bytes:
    info = sig.SessionInfo(
        counter=state.client_counter(signer),
        publicKey=public_key_bytes(state.private_key),
        epoch=state.epoch,
        clock_time=state.clock_time(now),
        status=sig.SESSION_INFO_STATUS_OK,
    )
    return info.SerializeToString()


def attach_session_info(
    reply: um.RoutableMessage,
    request: um.RoutableMessage,
    state: DomainState,
    signer: bytes,
    k: bytes,
    vin: str,
    now: float,
) -> None:
    info = session_info_bytes(state, signer, now)
    reply.session_info = info
    reply.signature_data.session_info_tag.tag = session_info_tag(k, vin, request.uuid, info)


def not_on_whitelist(request: um.RoutableMessage, domain: int) -> um.RoutableMessage:
    # Real cars send neither their key nor a tag here: they have no shared key with a stranger.
    reply = envelope(request, domain)
    reply.session_info = sig.SessionInfo(status=sig.SESSION_INFO_STATUS_KEY_NOT_ON_WHITELIST).SerializeToString()
    return reply


def fault_reply(
    request: um.RoutableMessage, domain: int, fault: Fault, *, state: DomainState | None, vin: str, now: float
) -> um.RoutableMessage:
    reply = envelope(request, domain)
    reply.signedMessageStatus.operation_status = um.OPERATIONSTATUS_ERROR
    reply.signedMessageStatus.signed_message_fault = fault.code  # type: ignore[assignment]
    if fault.resync and state is not None and fault.signer is not None and fault.session_key is not None:
        attach_session_info(reply, request, state, fault.signer, fault.session_key, vin, now)
    return reply


def command_reply(
    request: um.RoutableMessage,
    state: DomainState,
    verified: Verified,
    payload: bytes,
    *,
    vin: str,
) -> um.RoutableMessage:
    reply = envelope(request, state.domain)
    if not request.flags & ENCRYPT_RESPONSE_FLAG:
        reply.protobuf_message_as_bytes = payload
        return reply
    counter = state.next_counter()
    auth = ResponseAuth(
        domain=state.domain,
        vin=vin,
        counter=counter,
        flags=reply.flags,
        request_hash=request_hash(state.domain, sig.SIGNATURE_TYPE_HMAC_PERSONALIZED, verified.tag),
        fault=um.MESSAGEFAULT_ERROR_NONE,
    )
    nonce = random_nonce()
    ciphertext, tag = encrypt_response(verified.session_key, auth, nonce, payload)
    reply.protobuf_message_as_bytes = ciphertext
    reply.signature_data.AES_GCM_Response_data.nonce = nonce
    reply.signature_data.AES_GCM_Response_data.counter = counter
    reply.signature_data.AES_GCM_Response_data.tag = tag
    return reply
