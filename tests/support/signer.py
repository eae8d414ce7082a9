"""A test-only client half of the Vehicle Command Protocol, so tests can talk to the simulator as a Tesla client.

`Signer` holds one client key and one session per vehicle domain: it builds handshakes, checks and adopts the
session info the car sends back (tag, challenge), signs HMAC-personalised commands with `FLAG_ENCRYPT_RESPONSE`,
and opens (decrypts and authenticates) the car's replies. `CommandChannel` carries these messages over the
simulator's `signed_command` endpoint. Tests can override any signed field to provoke a specific fault.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import ec
from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import signatures_pb2 as sig
from tesla_protocol.command import universal_message_pb2 as um
from tesla_protocol.command import vcsec_pb2 as vcsec

from fleetgate.protocol.authentication import (
    DOMAIN_INFOTAINMENT,
    DOMAIN_VEHICLE_SECURITY,
    ENCRYPT_RESPONSE_FLAG,
    CommandAuth,
    ResponseAuth,
    command_hmac_tag,
    decrypt_response,
    request_hash,
    session_info_tag,
)
from fleetgate.protocol.crypto import shared_key, tags_equal
from fleetgate.protocol.keys import public_key_bytes
from fleetgate.protocol.messages import decode_routable, encode_routable
from tests.simulator.factories import SimFactory

VCSEC = DOMAIN_VEHICLE_SECURITY
INFOTAINMENT = DOMAIN_INFOTAINMENT
DEFAULT_TTL = 15


class SessionError(Exception):
    pass


@dataclass
class Session:
    k: bytes
    epoch: bytes
    counter: int
    clock_time: int
    synced_at: float  # local time when `clock_time` was read

    def vehicle_time(self, now: float) -> int:
        return self.clock_time + int(now - self.synced_at)


@dataclass
class Signer:
    private_key: ec.EllipticCurvePrivateKey
    vin: str
    clock: Callable[[], float]  # the clock the car runs on (the simulator's)
    sessions: dict[int, Session] = field(default_factory=dict)
    routing_address: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    @property
    def public_key(self) -> bytes:
        return public_key_bytes(self.private_key)

    def _envelope(self, domain: int) -> um.RoutableMessage:
        message = um.RoutableMessage()
        message.to_destination.domain = domain
        message.from_destination.routing_address = self.routing_address
        message.uuid = secrets.token_bytes(16)
        return message

    def session_info_request(self, domain: int) -> um.RoutableMessage:
        message = self._envelope(domain)
        message.session_info_request.public_key = self.public_key
        return message

    def read_session_info(self, request: um.RoutableMessage, reply: um.RoutableMessage) -> sig.SessionInfo:
        """Checks the reply belongs to `request` and, when the key is known, that its tag is right."""
        if reply.request_uuid != request.uuid:
            raise SessionError("reply does not echo the request uuid")
        info = sig.SessionInfo()
        info.ParseFromString(reply.session_info)
        if info.status != sig.SESSION_INFO_STATUS_OK:
            return info
        k = shared_key(self.private_key, info.publicKey)
        expected = session_info_tag(k, self.vin, request.uuid, reply.session_info)
        if not tags_equal(expected, reply.signature_data.session_info_tag.tag):
            raise SessionError("session info tag does not verify")
        return info

    def adopt(self, domain: int, request: um.RoutableMessage, reply: um.RoutableMessage) -> sig.SessionInfo:
        info = self.read_session_info(request, reply)
        if info.status != sig.SESSION_INFO_STATUS_OK:
            raise SessionError(sig.Session_Info_Status.Name(info.status))
        self.sessions[domain] = Session(
            k=shared_key(self.private_key, info.publicKey),
            epoch=info.epoch,
            counter=info.counter,
            clock_time=info.clock_time,
            synced_at=self.clock(),
        )
        return info

    def sign(
        self,
        domain: int,
        payload: bytes,
        *,
        ttl: int = DEFAULT_TTL,
        encrypt_response: bool = True,
        **overrides: Any,
    ) -> um.RoutableMessage:
        """Signs with the next counter. `overrides` replace signed fields: epoch, expires_at, counter, to_domain."""
        session = self.sessions[domain]
        counter = overrides.get("counter")
        if counter is None:
            session.counter += 1
            counter = session.counter
        message = self._envelope(overrides.get("to_domain", domain))
        message.protobuf_message_as_bytes = payload
        message.flags = ENCRYPT_RESPONSE_FLAG if encrypt_response else 0
        auth = CommandAuth(
            signature_type=sig.SIGNATURE_TYPE_HMAC_PERSONALIZED,
            domain=message.to_destination.domain,
            vin=self.vin,
            epoch=overrides.get("epoch", session.epoch),
            expires_at=overrides.get("expires_at", session.vehicle_time(self.clock()) + ttl),
            counter=counter,
            flags=message.flags,
        )
        signature = message.signature_data
        signature.signer_identity.public_key = self.public_key
        signature.HMAC_Personalized_data.epoch = auth.epoch
        signature.HMAC_Personalized_data.counter = auth.counter
        signature.HMAC_Personalized_data.expires_at = auth.expires_at
        signature.HMAC_Personalized_data.tag = command_hmac_tag(session.k, auth, payload)
        return message

    def open_reply(self, domain: int, request: um.RoutableMessage, reply: um.RoutableMessage) -> bytes:
        """The reply's payload; decrypted and authenticated when the car encrypted it (raises InvalidTag)."""
        if reply.request_uuid != request.uuid:
            raise SessionError("reply does not echo the request uuid")
        if not reply.signature_data.HasField("AES_GCM_Response_data"):
            return reply.protobuf_message_as_bytes
        data = reply.signature_data.AES_GCM_Response_data
        auth = ResponseAuth(
            domain=reply.from_destination.domain,
            vin=self.vin,
            counter=data.counter,
            flags=reply.flags,
            request_hash=request_hash(
                domain, sig.SIGNATURE_TYPE_HMAC_PERSONALIZED, request.signature_data.HMAC_Personalized_data.tag
            ),
            fault=reply.signedMessageStatus.signed_message_fault,
        )
        return decrypt_response(self.sessions[domain].k, auth, data.nonce, reply.protobuf_message_as_bytes, data.tag)


def fault_of(reply: um.RoutableMessage) -> str:
    return um.MessageFault_E.Name(reply.signedMessageStatus.signed_message_fault)


# -- payloads ------------------------------------------------------------------------------------------------


def infotainment_action(**vehicle_action: Any) -> bytes:
    """`infotainment_action(chargingSetLimitAction=cs.ChargingSetLimitAction(percent=80))`."""
    return cs.Action(vehicleAction=cs.VehicleAction(**vehicle_action)).SerializeToString()


def ping(ping_id: int = 7) -> bytes:
    return infotainment_action(ping=cs.Ping(ping_id=ping_id))


def rke(action: vcsec.RKEAction_E) -> bytes:
    return vcsec.UnsignedMessage(RKEAction=action).SerializeToString()


def closure(**moves: vcsec.ClosureMoveType_E) -> bytes:
    return vcsec.UnsignedMessage(closureMoveRequest=vcsec.ClosureMoveRequest(**moves)).SerializeToString()


def car_server_response(payload: bytes) -> cs.Response:
    response = cs.Response()
    response.ParseFromString(payload)
    return response


def vcsec_response(payload: bytes) -> vcsec.FromVCSECMessage:
    response = vcsec.FromVCSECMessage()
    response.ParseFromString(payload)
    return response


# -- transport -----------------------------------------------------------------------------------------------


@dataclass
class CommandChannel:
    """`signed_command` for one vehicle, as one app (its token) sees it."""

    sim: httpx.AsyncClient
    base: str  # e.g. "/na/api/1"
    headers: dict[str, str]
    signer: Signer
    tag: str = ""  # VIN or id; the signer's VIN by default

    async def post(self, message: um.RoutableMessage) -> httpx.Response:
        return await self.post_raw({"routable_message": encode_routable(message)})

    async def post_raw(self, body: Any) -> httpx.Response:
        path = f"{self.base}/vehicles/{self.tag or self.signer.vin}/signed_command"
        return await self.sim.post(path, json=body, headers=self.headers)

    async def exchange(self, message: um.RoutableMessage) -> um.RoutableMessage:
        response = await self.post(message)
        assert response.status_code == 200, response.text
        return decode_routable(response.json()["response"])

    async def handshake(self, domain: int) -> um.RoutableMessage:
        request = self.signer.session_info_request(domain)
        reply = await self.exchange(request)
        self.signer.adopt(domain, request, reply)
        return reply

    async def send(self, domain: int, payload: bytes, **sign: Any) -> tuple[um.RoutableMessage, um.RoutableMessage]:
        request = self.signer.sign(domain, payload, **sign)
        return request, await self.exchange(request)

    async def command(self, domain: int, payload: bytes, **sign: Any) -> bytes:
        """Sends a command that must pass verification and returns the opened reply payload."""
        request, reply = await self.send(domain, payload, **sign)
        assert not reply.HasField("signedMessageStatus"), fault_of(reply)
        return self.signer.open_reply(domain, request, reply)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def open_channel(
    factory: SimFactory, clock: Callable[[], float], *, pair: str | None = "owner", **setup: Any
) -> tuple[dict[str, Any], CommandChannel]:
    """`factory.setup(**setup)`, then the app's registered key paired with `pair` role (None: not paired)."""
    env = await factory.setup(**setup)
    vin = env["vehicle"]["vin"]
    if pair is not None:
        await factory.pair(vin, env["app"]["public_key_pem"], role=pair)
    signer = Signer(env["app"]["private_key"], vin, clock)
    return env, CommandChannel(factory.sim, env["base"], env["headers"], signer)
