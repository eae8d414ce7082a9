"""How the car refuses a signed command, check by check, in Tesla's verification order."""

from __future__ import annotations

import httpx
import pytest
from tesla_protocol.command import car_server_pb2 as cs
from tesla_protocol.command import common_pb2 as common
from tesla_protocol.command import signatures_pb2 as sig
from tesla_protocol.command import universal_message_pb2 as um
from tesla_protocol.command import vcsec_pb2 as vcsec

from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory
from tests.support.signer import (
    INFOTAINMENT,
    VCSEC,
    CommandChannel,
    car_server_response,
    fault_of,
    infotainment_action,
    open_channel,
    ping,
    rke,
)

CHARGE_START = infotainment_action(chargingStartStopAction=cs.ChargingStartStopAction(start=common.Void()))
UNLOCK = rke(vcsec.RKE_ACTION_UNLOCK)


async def ready(factory: SimFactory, world: World, *domains: int, pair: str = "owner") -> CommandChannel:
    _, channel = await open_channel(factory, world.now, pair=pair)
    for domain in domains or (INFOTAINMENT,):
        await channel.handshake(domain)
    return channel


def assert_fault(reply: um.RoutableMessage, name: str, *, resync: bool) -> None:
    assert reply.signedMessageStatus.operation_status == um.OPERATIONSTATUS_ERROR
    assert fault_of(reply) == name
    assert reply.HasField("session_info") is resync
    assert not reply.protobuf_message_as_bytes


def assert_fresh_session_info(channel: CommandChannel, request: um.RoutableMessage, reply: um.RoutableMessage) -> None:
    """The attached session info is tagged for this request, so the client may adopt it."""
    info = channel.signer.read_session_info(request, reply)
    assert info.status == sig.SESSION_INFO_STATUS_OK


class TestSignerIdentity:
    async def test_key_removed_from_the_car_is_an_unknown_key_id(
        self, factory: SimFactory, world: World, sim: httpx.AsyncClient
    ) -> None:
        channel = await ready(factory, world)
        assert (await sim.delete(f"/sim/vehicles/{channel.signer.vin}/keys")).status_code == 200
        _, reply = await channel.send(INFOTAINMENT, ping())
        assert_fault(reply, "MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID", resync=False)

    async def test_identity_is_checked_before_the_epoch(
        self, factory: SimFactory, world: World, sim: httpx.AsyncClient
    ) -> None:
        channel = await ready(factory, world)
        await sim.delete(f"/sim/vehicles/{channel.signer.vin}/keys")
        _, reply = await channel.send(INFOTAINMENT, ping(), epoch=bytes(16))
        assert fault_of(reply) == "MESSAGEFAULT_ERROR_UNKNOWN_KEY_ID"

    async def test_inactive_key(self, factory: SimFactory, world: World, sim: httpx.AsyncClient) -> None:
        channel = await ready(factory, world)
        response = await sim.patch(
            f"/sim/vehicles/{channel.signer.vin}/keys",
            json={"public_key": channel.signer.public_key.hex(), "active": False},
        )
        assert response.status_code == 200, response.text
        _, reply = await channel.send(INFOTAINMENT, ping())
        assert_fault(reply, "MESSAGEFAULT_ERROR_INACTIVE_KEY", resync=False)

    async def test_mobile_access_disabled(self, factory: SimFactory, world: World, sim: httpx.AsyncClient) -> None:
        channel = await ready(factory, world, VCSEC)
        await sim.patch(f"/sim/vehicles/{channel.signer.vin}", json={"mobile_access_disabled": True})
        _, reply = await channel.send(VCSEC, UNLOCK)
        assert_fault(reply, "MESSAGEFAULT_ERROR_REMOTE_ACCESS_DISABLED", resync=False)


class TestDomain:
    async def test_a_domain_the_car_does_not_have(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        _, reply = await channel.send(INFOTAINMENT, ping(), to_domain=um.DOMAIN_AUTOPILOT)
        assert_fault(reply, "MESSAGEFAULT_ERROR_INVALID_DOMAINS", resync=False)
        assert reply.from_destination.domain == um.DOMAIN_AUTOPILOT


class TestEpoch:
    async def test_wrong_epoch_answers_with_the_current_session(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        request, reply = await channel.send(INFOTAINMENT, ping(), epoch=bytes(16))
        assert_fault(reply, "MESSAGEFAULT_ERROR_INCORRECT_EPOCH", resync=True)
        assert_fresh_session_info(channel, request, reply)

    @pytest.mark.parametrize("domain", [VCSEC, INFOTAINMENT])
    async def test_reboot_then_resync(
        self, factory: SimFactory, world: World, sim: httpx.AsyncClient, domain: int
    ) -> None:
        channel = await ready(factory, world, domain)
        payload = ping() if domain == INFOTAINMENT else rke(vcsec.RKE_ACTION_LOCK)
        await channel.command(domain, payload)
        old_epoch = channel.signer.sessions[domain].epoch
        assert (await sim.post(f"/sim/vehicles/{channel.signer.vin}/reboot")).status_code == 200

        request, reply = await channel.send(domain, payload)
        assert_fault(reply, "MESSAGEFAULT_ERROR_INCORRECT_EPOCH", resync=True)
        info = channel.signer.adopt(domain, request, reply)
        assert info.epoch != old_epoch
        assert info.counter == 0  # the rebooted car forgot every counter
        await channel.command(domain, payload)


class TestExpiry:
    async def test_expired_command(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        now = channel.signer.sessions[INFOTAINMENT].vehicle_time(world.now())
        request, reply = await channel.send(INFOTAINMENT, ping(), expires_at=now - 1)
        assert_fault(reply, "MESSAGEFAULT_ERROR_TIME_EXPIRED", resync=True)
        assert_fresh_session_info(channel, request, reply)

    async def test_command_expires_with_simulated_time(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        request = channel.signer.sign(INFOTAINMENT, ping(), ttl=5)
        await factory.advance(6)
        reply = await channel.exchange(request)
        assert fault_of(reply) == "MESSAGEFAULT_ERROR_TIME_EXPIRED"

    async def test_epoch_is_checked_before_expiry(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        _, reply = await channel.send(INFOTAINMENT, ping(), epoch=bytes(16), expires_at=1)
        assert fault_of(reply) == "MESSAGEFAULT_ERROR_INCORRECT_EPOCH"

    async def test_expiry_beyond_two_to_the_thirty_is_a_bad_parameter(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        request, reply = await channel.send(INFOTAINMENT, ping(), expires_at=2**30 + 1)
        assert_fault(reply, "MESSAGEFAULT_ERROR_BAD_PARAMETER", resync=True)
        assert_fresh_session_info(channel, request, reply)


class TestCounterAndTimeToLive:
    async def test_counter_zero_needs_a_short_time_to_live(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        _, reply = await channel.send(INFOTAINMENT, ping(), counter=0, ttl=60)
        assert_fault(reply, "MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG", resync=True)
        _, reply = await channel.send(INFOTAINMENT, ping(), counter=0, ttl=20)
        assert not reply.HasField("signedMessageStatus")

    async def test_rolled_back_counter_needs_a_short_time_to_live(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        late = channel.signer.sign(INFOTAINMENT, ping(), ttl=60)
        await channel.command(INFOTAINMENT, ping())
        reply = await channel.exchange(late)
        assert_fault(reply, "MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG", resync=True)


class TestSignature:
    async def test_altered_payload(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        request = channel.signer.sign(INFOTAINMENT, ping(1))
        request.protobuf_message_as_bytes = ping(2)
        reply = await channel.exchange(request)
        assert_fault(reply, "MESSAGEFAULT_ERROR_INVALID_SIGNATURE", resync=True)
        assert_fresh_session_info(channel, request, reply)

    async def test_altered_flags_are_covered_by_the_tag(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        request = channel.signer.sign(INFOTAINMENT, ping())
        request.flags = 0
        reply = await channel.exchange(request)
        assert fault_of(reply) == "MESSAGEFAULT_ERROR_INVALID_SIGNATURE"

    async def test_command_signed_for_another_vin(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        channel.tag, channel.signer.vin = channel.signer.vin, "5YJ3E1EA0KF000000"
        _, reply = await channel.send(INFOTAINMENT, ping())
        assert fault_of(reply) == "MESSAGEFAULT_ERROR_INVALID_SIGNATURE"

    async def test_signature_is_checked_before_the_counter(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        request, _ = await channel.send(INFOTAINMENT, ping())
        request.signature_data.HMAC_Personalized_data.tag = bytes(32)
        reply = await channel.exchange(request)
        assert fault_of(reply) == "MESSAGEFAULT_ERROR_INVALID_SIGNATURE"

    async def test_unsigned_command(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        request = channel.signer.sign(INFOTAINMENT, ping())
        request.ClearField("signature_data")
        reply = await channel.exchange(request)
        assert_fault(reply, "MESSAGEFAULT_ERROR_BAD_PARAMETER", resync=False)


class TestAntiReplay:
    @pytest.mark.parametrize(("domain", "payload"), [(INFOTAINMENT, ping()), (VCSEC, UNLOCK)])
    async def test_the_same_message_twice(self, factory: SimFactory, world: World, domain: int, payload: bytes) -> None:
        channel = await ready(factory, world, domain)
        request, first = await channel.send(domain, payload)
        assert not first.HasField("signedMessageStatus")
        second = await channel.exchange(request)
        assert_fault(second, "MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER", resync=True)
        assert_fresh_session_info(channel, request, second)

    async def test_infotainment_accepts_a_late_counter_once(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        early, late = (channel.signer.sign(INFOTAINMENT, ping(n)) for n in (1, 2))
        assert not (await channel.exchange(late)).HasField("signedMessageStatus")
        assert not (await channel.exchange(early)).HasField("signedMessageStatus")
        assert fault_of(await channel.exchange(early)) == "MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER"

    async def test_infotainment_window_is_thirty_two_counters(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world)
        at_edge = channel.signer.sign(INFOTAINMENT, ping(), counter=1)
        beyond = channel.signer.sign(INFOTAINMENT, ping(), counter=2)
        await channel.command(INFOTAINMENT, ping(), counter=34)
        assert fault_of(await channel.exchange(at_edge)) == "MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER"
        assert not (await channel.exchange(beyond)).HasField("signedMessageStatus")

    async def test_vcsec_counters_must_increase(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, VCSEC)
        early, late = (channel.signer.sign(VCSEC, UNLOCK) for _ in range(2))
        assert not (await channel.exchange(late)).HasField("signedMessageStatus")
        assert fault_of(await channel.exchange(early)) == "MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER"


class TestPrivileges:
    async def test_charging_manager_may_only_charge(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, VCSEC, INFOTAINMENT, pair="charging_manager")
        _, reply = await channel.send(INFOTAINMENT, CHARGE_START)
        assert not reply.HasField("signedMessageStatus")
        _, reply = await channel.send(VCSEC, UNLOCK)
        assert_fault(reply, "MESSAGEFAULT_ERROR_INSUFFICIENT_PRIVILEGES", resync=False)
        honk = infotainment_action(vehicleControlHonkHornAction=cs.VehicleControlHonkHornAction())
        _, reply = await channel.send(INFOTAINMENT, honk)
        assert fault_of(reply) == "MESSAGEFAULT_ERROR_INSUFFICIENT_PRIVILEGES"

    @pytest.mark.parametrize("role", ["vehicle_monitor", "guest"])
    async def test_monitor_and_guest_may_send_no_command(self, factory: SimFactory, world: World, role: str) -> None:
        channel = await ready(factory, world, pair=role)
        _, reply = await channel.send(INFOTAINMENT, CHARGE_START)
        assert_fault(reply, "MESSAGEFAULT_ERROR_INSUFFICIENT_PRIVILEGES", resync=False)
        pong = car_server_response(await channel.command(INFOTAINMENT, ping(9)))
        assert pong.ping.ping_id == 9

    @pytest.mark.parametrize("role", ["owner", "driver", "fleet_manager"])
    async def test_full_access_roles(self, factory: SimFactory, world: World, role: str) -> None:
        channel = await ready(factory, world, VCSEC, pair=role)
        _, reply = await channel.send(VCSEC, UNLOCK)
        assert not reply.HasField("signedMessageStatus")

    async def test_refused_command_still_uses_its_counter(self, factory: SimFactory, world: World) -> None:
        channel = await ready(factory, world, pair="guest")
        request, _ = await channel.send(INFOTAINMENT, CHARGE_START)
        assert fault_of(await channel.exchange(request)) == "MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER"


class TestUndecodablePayload:
    @pytest.mark.parametrize(
        ("domain", "payload"),
        [
            (INFOTAINMENT, b"\xff\xff\xff"),
            (INFOTAINMENT, cs.Action().SerializeToString()),
            (VCSEC, b"\xff\xff\xff"),
            (VCSEC, vcsec.UnsignedMessage().SerializeToString()),
        ],
    )
    async def test_decoding_fault(self, factory: SimFactory, world: World, domain: int, payload: bytes) -> None:
        channel = await ready(factory, world, domain)
        _, reply = await channel.send(domain, payload)
        assert_fault(reply, "MESSAGEFAULT_ERROR_DECODING", resync=False)
