"""`POST /{region}/api/1/vehicles/{tag}/signed_command` as the Fleet API serves it: lookup, 422, 400, 403, 408,
429, billing and the HTTP envelope."""

from __future__ import annotations

import base64

import httpx
import pytest
from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import common_pb2 as common
from tesla_protocol.command import universal_message_pb2 as um
from tesla_protocol.command import vcsec_pb2 as vcsec

from fleetgate.protocol.messages import encode_routable
from fleetgate.simulator.envelope import MISSING_SCOPES, PROTOCOL_NOT_SUPPORTED, VEHICLE_UNAVAILABLE
from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory
from tests.support.signer import INFOTAINMENT, VCSEC, infotainment_action, open_channel, ping, rke

CHARGE_START = infotainment_action(chargingStartStopAction=cs.ChargingStartStopAction(start=common.Void()))
UNLOCK = rke(vcsec.RKE_ACTION_UNLOCK)


class TestVehicleLookup:
    async def test_unknown_vin_is_not_found(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        channel.tag = "5YJ3E1EA0KF999999"
        response = await channel.post(channel.signer.session_info_request(INFOTAINMENT))
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"

    async def test_another_accounts_vehicle_is_not_found(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        stranger = await factory.account(email="someone@example.com")
        channel.tag = (await factory.vehicle(stranger["id"]))["vin"]
        response = await channel.post(channel.signer.session_info_request(INFOTAINMENT))
        assert response.status_code == 404

    async def test_reply_is_base64_in_tesla_envelope(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        response = await channel.post(channel.signer.session_info_request(INFOTAINMENT))
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"response"}
        assert base64.b64decode(body["response"], validate=True)

    async def test_a_vehicle_fault_is_still_http_200(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        await channel.handshake(INFOTAINMENT)
        response = await channel.post(channel.signer.sign(INFOTAINMENT, ping(), epoch=bytes(16)))
        assert response.status_code == 200


class TestProtocolSupport:
    async def test_car_without_the_protocol_is_422(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now, command_signing="off")
        response = await channel.post(channel.signer.session_info_request(INFOTAINMENT))
        assert response.status_code == 422
        assert response.json()["error"] == PROTOCOL_NOT_SUPPORTED

    async def test_422_comes_before_the_body_is_read(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now, command_signing="off")
        assert (await channel.post_raw({"routable_message": "%%%"})).status_code == 422

    async def test_car_that_allows_signing_speaks_it(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now, command_signing="allowed")
        await channel.handshake(INFOTAINMENT)


class TestMalformedRequests:
    @pytest.mark.parametrize(
        "body",
        [
            [],
            {},
            {"routable_message": 12},
            {"routable_message": ""},
            {"routable_message": "not base64!"},
            {"routable_message": base64.b64encode(b"\xff\xff\xff\xff").decode()},
            {"routable_message": encode_routable(um.RoutableMessage(uuid=b"0123456789abcdef"))},
            {"routable_message": encode_routable(um.RoutableMessage(session_info=b"\x08\x01"))},
        ],
    )
    async def test_bad_body_is_400(self, factory: SimFactory, world: World, body: object) -> None:
        _, channel = await open_channel(factory, world.now)
        response = await channel.post_raw(body)
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"

    async def test_body_that_is_not_json_is_400(self, factory: SimFactory, world: World) -> None:
        env, channel = await open_channel(factory, world.now)
        response = await channel.sim.post(
            f"{env['base']}/vehicles/{channel.signer.vin}/signed_command", content=b"{", headers=env["headers"]
        )
        assert response.status_code == 400

    async def test_aes_gcm_commands_are_refused(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        await channel.handshake(INFOTAINMENT)
        message = channel.signer.sign(INFOTAINMENT, ping())
        hmac_data = message.signature_data.HMAC_Personalized_data
        gcm = message.signature_data.AES_GCM_Personalized_data
        gcm.epoch, gcm.counter, gcm.expires_at = hmac_data.epoch, hmac_data.counter, hmac_data.expires_at
        gcm.nonce, gcm.tag = bytes(12), bytes(16)
        response = await channel.post(message)
        assert response.status_code == 400
        assert "HMAC" in response.json()["error_description"]


class TestScopes:
    async def test_handshake_needs_a_command_scope(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now, scopes="openid offline_access vehicle_device_data")
        response = await channel.post(channel.signer.session_info_request(INFOTAINMENT))
        assert response.status_code == 403
        assert response.json()["error"] == MISSING_SCOPES

    async def test_charging_token_may_charge_but_not_unlock(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now, scopes="openid vehicle_charging_cmds")
        await channel.handshake(INFOTAINMENT)
        await channel.handshake(VCSEC)
        _, reply = await channel.send(INFOTAINMENT, CHARGE_START)
        assert not reply.HasField("signedMessageStatus")
        response = await channel.post(channel.signer.sign(VCSEC, UNLOCK))
        assert response.status_code == 403
        assert response.json()["error"] == MISSING_SCOPES
        honk = infotainment_action(vehicleControlHonkHornAction=cs.VehicleControlHonkHornAction())
        assert (await channel.post(channel.signer.sign(INFOTAINMENT, honk))).status_code == 403

    async def test_payload_the_fleet_api_cannot_name_needs_vehicle_cmds(
        self, factory: SimFactory, world: World
    ) -> None:
        _, channel = await open_channel(factory, world.now, scopes="openid vehicle_charging_cmds")
        await channel.handshake(INFOTAINMENT)
        response = await channel.post(channel.signer.sign(INFOTAINMENT, b"\xff\xff"))
        assert response.status_code == 403

    async def test_scope_is_checked_before_the_car_is_asked(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now, scopes="openid vehicle_device_data", state="asleep")
        response = await channel.post(channel.signer.session_info_request(INFOTAINMENT))
        assert response.status_code == 403


class TestAvailability:
    async def test_asleep_car_is_408(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now, state="asleep")
        response = await channel.post(channel.signer.session_info_request(INFOTAINMENT))
        assert response.status_code == 408
        assert response.json()["error"] == VEHICLE_UNAVAILABLE

    async def test_offline_car_is_408(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now, state="offline")
        assert (await channel.post(channel.signer.session_info_request(VCSEC))).status_code == 408

    async def test_signed_traffic_keeps_the_car_awake(
        self, factory: SimFactory, world: World, sim: httpx.AsyncClient
    ) -> None:
        _, channel = await open_channel(factory, world.now)
        await factory.advance(800)
        await channel.handshake(INFOTAINMENT)
        await factory.advance(800)
        assert (await sim.get(f"/sim/vehicles/{channel.signer.vin}")).json()["state"] == "online"
        await factory.advance(200)
        assert (await sim.get(f"/sim/vehicles/{channel.signer.vin}")).json()["state"] == "asleep"


class TestRateLimitAndBilling:
    async def test_thirty_calls_a_minute_then_429(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        for _ in range(30):
            response = await channel.post(channel.signer.session_info_request(INFOTAINMENT))
            assert response.status_code == 200
        response = await channel.post(channel.signer.session_info_request(INFOTAINMENT))
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0
        await factory.advance(61)
        assert (await channel.post(channel.signer.session_info_request(INFOTAINMENT))).status_code == 200

    async def test_handshakes_and_commands_are_billed_as_commands(
        self, factory: SimFactory, world: World, sim: httpx.AsyncClient
    ) -> None:
        env, channel = await open_channel(factory, world.now)
        await channel.handshake(INFOTAINMENT)
        await channel.command(INFOTAINMENT, ping())
        await channel.send(INFOTAINMENT, ping(), epoch=bytes(16))  # a refusal by the car is billed too
        usage = (await sim.get("/sim/usage")).json()
        client = usage["clients"][env["app"]["client_id"]]
        assert client["totals"]["commands"] == 3
        assert client["devices"][channel.signer.vin]["commands"] == 3
        assert client["totals"]["data"] == 0
