"""The car's replies to verified commands: encrypted when asked, plaintext otherwise, in each domain's shape."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag
from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import common_pb2 as common
from tesla_protocol.command import errors_pb2 as errors
from tesla_protocol.command import signatures_pb2 as sig
from tesla_protocol.command import universal_message_pb2 as um
from tesla_protocol.command import vcsec_pb2 as vcsec

from fleetgate.protocol.authentication import ResponseAuth, decrypt_response, request_hash
from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory
from tests.support.signer import (
    INFOTAINMENT,
    VCSEC,
    CommandChannel,
    SessionError,
    car_server_response,
    infotainment_action,
    open_channel,
    ping,
    rke,
    vcsec_response,
)


async def ready(factory: SimFactory, world: World, *domains: int) -> CommandChannel:
    _, channel = await open_channel(factory, world.now)
    for domain in domains:
        await channel.handshake(domain)
    return channel


def copy(message: um.RoutableMessage) -> um.RoutableMessage:
    duplicate = um.RoutableMessage()
    duplicate.CopyFrom(message)
    return duplicate


class TestEncryptedResponses:
    async def test_infotainment_reply_is_encrypted_and_decrypts(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, INFOTAINMENT)
        request, reply = await channel.send(INFOTAINMENT, ping(42))
        data = reply.signature_data.AES_GCM_Response_data
        assert len(data.nonce) == 12
        assert len(data.tag) == 16
        assert data.counter > 0
        plaintext = channel.signer.open_reply(INFOTAINMENT, request, reply)
        assert plaintext != reply.protobuf_message_as_bytes
        response = car_server_response(plaintext)
        assert response.actionStatus.result == cs.OPERATIONSTATUS_OK
        assert response.ping.ping_id == 42

    @pytest.mark.parametrize("field", ["ciphertext", "counter", "nonce", "request_uuid"])
    async def test_tampered_reply_does_not_open(self, factory: SimFactory, world: World, field: str) -> None:
        channel = await ready(factory, world, INFOTAINMENT)
        request, reply = await channel.send(INFOTAINMENT, ping())
        tampered = copy(reply)
        data = tampered.signature_data.AES_GCM_Response_data
        if field == "ciphertext":
            tampered.protobuf_message_as_bytes = (
                bytes([reply.protobuf_message_as_bytes[0] ^ 1]) + (reply.protobuf_message_as_bytes[1:])
            )
        elif field == "counter":
            data.counter += 1
        elif field == "nonce":
            data.nonce = bytes(12)
        else:
            tampered.request_uuid = bytes(16)
        with pytest.raises(SessionError if field == "request_uuid" else InvalidTag):
            channel.signer.open_reply(INFOTAINMENT, request, tampered)
        # the untouched reply still opens, so the failure above is the tampering
        channel.signer.open_reply(INFOTAINMENT, request, reply)

    async def test_reply_is_bound_to_its_request(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, INFOTAINMENT)
        first, _ = await channel.send(INFOTAINMENT, ping())
        second, reply = await channel.send(INFOTAINMENT, ping())
        first.uuid = second.uuid
        with pytest.raises(InvalidTag):
            channel.signer.open_reply(INFOTAINMENT, first, reply)

    async def test_vcsec_request_hash_is_seventeen_bytes(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, VCSEC)
        request, reply = await channel.send(VCSEC, rke(vcsec.RKE_ACTION_LOCK))
        vcsec_response(channel.signer.open_reply(VCSEC, request, reply))
        data = reply.signature_data.AES_GCM_Response_data
        request_tag = request.signature_data.HMAC_Personalized_data.tag
        assert len(request_hash(VCSEC, sig.SIGNATURE_TYPE_HMAC_PERSONALIZED, request_tag)) == 17
        full_hash = bytes([sig.SIGNATURE_TYPE_HMAC_PERSONALIZED]) + request_tag
        untruncated = ResponseAuth(
            domain=VCSEC, vin=channel.signer.vin, counter=data.counter, flags=0, request_hash=full_hash, fault=0
        )
        with pytest.raises(InvalidTag):
            decrypt_response(
                channel.signer.sessions[VCSEC].k, untruncated, data.nonce, reply.protobuf_message_as_bytes, data.tag
            )

    async def test_response_counters_increase(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, INFOTAINMENT)
        counters = []
        for _ in range(3):
            _, reply = await channel.send(INFOTAINMENT, ping())
            counters.append(reply.signature_data.AES_GCM_Response_data.counter)
        assert counters == sorted(set(counters))


class TestPlaintextResponses:
    @pytest.mark.parametrize("domain", [VCSEC, INFOTAINMENT])
    async def test_without_the_flag_the_reply_is_plaintext(
        self, factory: SimFactory, world: World, domain: int
    ) -> None:
        channel = await ready(factory, world, domain)
        payload = ping(5) if domain == INFOTAINMENT else rke(vcsec.RKE_ACTION_LOCK)
        request, reply = await channel.send(domain, payload, encrypt_response=False)
        assert not reply.HasField("signature_data")
        assert reply.request_uuid == request.uuid
        if domain == INFOTAINMENT:
            assert car_server_response(reply.protobuf_message_as_bytes).ping.ping_id == 5
        else:
            assert vcsec_response(reply.protobuf_message_as_bytes).HasField("commandStatus")


class TestReplyShapes:
    async def test_infotainment_refusal_carries_the_reason(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, INFOTAINMENT)
        stop = infotainment_action(chargingStartStopAction=cs.ChargingStartStopAction(stop=common.Void()))
        response = car_server_response(await channel.command(INFOTAINMENT, stop))
        assert response.actionStatus.result == cs.OPERATIONSTATUS_ERROR
        assert response.actionStatus.result_reason.plain_text == "not_charging"

    async def test_infotainment_success(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, INFOTAINMENT)
        honk = infotainment_action(vehicleControlHonkHornAction=cs.VehicleControlHonkHornAction())
        response = car_server_response(await channel.command(INFOTAINMENT, honk))
        assert response.actionStatus.result == cs.OPERATIONSTATUS_OK
        assert not response.actionStatus.HasField("result_reason")

    async def test_unsupported_infotainment_action(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, INFOTAINMENT)
        read = infotainment_action(getVehicleData=cs.GetVehicleData())
        response = car_server_response(await channel.command(INFOTAINMENT, read))
        assert response.actionStatus.result == cs.OPERATIONSTATUS_ERROR
        assert response.actionStatus.result_reason.plain_text == "not_supported"

    async def test_vcsec_success_is_command_status_ok(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, VCSEC)
        response = vcsec_response(await channel.command(VCSEC, rke(vcsec.RKE_ACTION_LOCK)))
        assert response.HasField("commandStatus")
        assert response.commandStatus.operationStatus == vcsec.OPERATIONSTATUS_OK

    @pytest.mark.parametrize(
        "payload",
        [
            vcsec.UnsignedMessage(
                InformationRequest=vcsec.InformationRequest(
                    informationRequestType=vcsec.INFORMATION_REQUEST_TYPE_GET_STATUS
                )
            ).SerializeToString(),
            rke(vcsec.RKE_ACTION_AUTO_SECURE_VEHICLE),
            vcsec.UnsignedMessage(
                closureMoveRequest=vcsec.ClosureMoveRequest(frontDriverDoor=vcsec.CLOSURE_MOVE_TYPE_OPEN)
            ).SerializeToString(),
        ],
    )
    async def test_unsupported_vcsec_request(self, factory: SimFactory, world: World, payload: bytes) -> None:
        channel = await ready(factory, world, VCSEC)
        response = vcsec_response(await channel.command(VCSEC, payload))
        assert response.nominalError.genericError == errors.GENERICERROR_NOT_SUPPORTED
