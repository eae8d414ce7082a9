"""How one domain of the car authenticates a signed command, in the order Tesla's verifier checks it.

Signer identity (unknown, inactive key, mobile access off) → destination domain → epoch → expiry → expiry
bound → counter/TTL rule → HMAC tag (constant time) → anti-replay. The first failed check decides the fault.
Faults that only mean the client's session is stale (`SYNC_FAULTS`) are answered with fresh session info so
the client can resynchronise without another handshake.
"""

from __future__ import annotations

from dataclasses import dataclass

from tesla_protocol.command import signatures_pb2 as sig
from tesla_protocol.command import universal_message_pb2 as um

from fleetgate.protocol.authentication import CommandAuth, command_hmac_tag
from fleetgate.protocol.crypto import shared_key, tags_equal
from fleetgate.protocol.faults import SYNC_FAULTS
from fleetgate.simulator.vehicle_side.domains import DomainState
from fleetgate.simulator.vehicles.vehicle import Vehicle, WhitelistEntry

MAX_EXPIRES_AT = 2**30
# A command that reuses or rolls back a counter is only accepted with an expiry this close (seconds).
SHORT_TTL = 30


class Fault(Exception):
    """A refusal by the car. `session_key` is set when the signer is known, so session info can be tagged."""

    def __init__(self, code: int, *, signer: bytes | None = None, session_key: bytes | None = None) -> None:
        super().__init__(um.MessageFault_E.Name(code))
        self.code = code
        self.signer = signer
        self.session_key = session_key

    @property
    def resync(self) -> bool:
        return self.code in SYNC_FAULTS and self.session_key is not None and self.signer is not None


@dataclass(frozen=True, slots=True)
class Verified:
    entry: WhitelistEntry
    session_key: bytes
    tag: bytes


def verify(vehicle: Vehicle, state: DomainState, message: um.RoutableMessage, now: float) -> Verified:
    signature = message.signature_data
    if not message.HasField("signature_data") or not signature.HasField("HMAC_Personalized_data"):
        # Nothing to authenticate with; Fleet API never forwards AES-GCM commands, so this is an unsigned one.
        raise Fault(um.MESSAGEFAULT_ERROR_BAD_PARAMETER)
    signer = signature.signer_identity.public_key
    entry = vehicle.key_entry(signer) if signer else None
    if entry is None:
        raise Fault(um.MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID)
    if not entry.active:
        raise Fault(um.MESSAGEFAULT_ERROR_INACTIVE_KEY)
    if vehicle.mobile_access_disabled:
        raise Fault(um.MESSAGEFAULT_ERROR_REMOTE_ACCESS_DISABLED)
    if message.to_destination.domain != state.domain:
        raise Fault(um.MESSAGEFAULT_ERROR_INVALID_DOMAINS)

    k = shared_key(state.private_key, signer)

    def fault(code: int) -> Fault:
        return Fault(code, signer=signer, session_key=k)

    hmac_data = signature.HMAC_Personalized_data
    if hmac_data.epoch and hmac_data.epoch != state.epoch:
        raise fault(um.MESSAGEFAULT_ERROR_INCORRECT_EPOCH)
    clock = state.clock_time(now)
    expires_at, counter = hmac_data.expires_at, hmac_data.counter
    if expires_at != 0 and expires_at < clock:
        raise fault(um.MESSAGEFAULT_ERROR_TIME_EXPIRED)
    if expires_at > MAX_EXPIRES_AT:
        raise fault(um.MESSAGEFAULT_ERROR_BAD_PARAMETER)
    if (counter == 0 or counter < state.client_counter(signer)) and not 0 < expires_at - clock <= SHORT_TTL:
        raise fault(um.MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG)

    auth = CommandAuth(
        signature_type=sig.SIGNATURE_TYPE_HMAC_PERSONALIZED,
        domain=message.to_destination.domain,
        vin=vehicle.vin,
        epoch=state.epoch,
        expires_at=expires_at,
        counter=counter,
        flags=message.flags,
    )
    expected = command_hmac_tag(k, auth, message.protobuf_message_as_bytes)
    if not tags_equal(expected, hmac_data.tag):
        raise fault(um.MESSAGEFAULT_ERROR_INVALID_SIGNATURE)
    if counter > 0 and not state.accept_counter(signer, counter):
        raise fault(um.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER)
    return Verified(entry=entry, session_key=k, tag=hmac_data.tag)
