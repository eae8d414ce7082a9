"""`signed_command` handshakes: session info for whitelisted keys, its tag, and the reply envelope."""

from __future__ import annotations

import httpx
import pytest
from tesla_protocol.command import signatures_pb2 as sig
from tesla_protocol.command import universal_message_pb2 as um

from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory
from tests.support.signer import INFOTAINMENT, VCSEC, CommandChannel, SessionError, open_channel, ping


async def vehicle_view(sim: httpx.AsyncClient, vin: str) -> dict:
    response = await sim.get(f"/sim/vehicles/{vin}")
    assert response.status_code == 200
    return response.json()


class TestHandshake:
    @pytest.mark.parametrize("domain", [VCSEC, INFOTAINMENT])
    async def test_whitelisted_key_gets_tagged_session_info(
        self, factory: SimFactory, sim: httpx.AsyncClient, world: World, domain: int
    ) -> None:
        env, channel = await open_channel(factory, world.now)
        request = channel.signer.session_info_request(domain)
        reply = await channel.exchange(request)
        info = channel.signer.read_session_info(request, reply)  # raises if the tag does not verify
        car = (await vehicle_view(sim, env["vehicle"]["vin"]))["domains"][str(domain)]
        assert info.status == sig.SESSION_INFO_STATUS_OK
        assert info.publicKey.hex() == car["public_key"]
        assert info.epoch.hex() == car["epoch"]
        assert info.counter == 0
        assert info.clock_time > 0

    async def test_tag_covers_the_session_info_and_the_challenge(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        request = channel.signer.session_info_request(INFOTAINMENT)
        reply = await channel.exchange(request)
        altered = um.RoutableMessage()
        altered.CopyFrom(reply)
        altered.session_info = reply.session_info[:-1] + bytes([reply.session_info[-1] ^ 1])
        with pytest.raises(SessionError):
            channel.signer.read_session_info(request, altered)
        other_request = channel.signer.session_info_request(INFOTAINMENT)
        reply_for_other = await channel.exchange(other_request)
        reply_for_other.request_uuid = request.uuid
        with pytest.raises(SessionError):
            channel.signer.read_session_info(request, reply_for_other)

    @pytest.mark.parametrize("domain", [VCSEC, INFOTAINMENT])
    async def test_reply_goes_back_to_the_sender(self, factory: SimFactory, world: World, domain: int) -> None:
        _, channel = await open_channel(factory, world.now)
        request = channel.signer.session_info_request(domain)
        reply = await channel.exchange(request)
        assert reply.to_destination.routing_address == channel.signer.routing_address
        assert reply.from_destination.domain == domain
        assert reply.request_uuid == request.uuid

    async def test_each_domain_has_its_own_key_and_epoch(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        await channel.handshake(VCSEC)
        await channel.handshake(INFOTAINMENT)
        vcsec_session, infotainment_session = channel.signer.sessions[VCSEC], channel.signer.sessions[INFOTAINMENT]
        assert vcsec_session.k != infotainment_session.k
        assert vcsec_session.epoch != infotainment_session.epoch

    async def test_clock_counts_seconds_since_the_epoch_began(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        first = channel.signer.adopt(INFOTAINMENT, *await self._handshake(channel))
        await factory.advance(100)
        second = channel.signer.adopt(INFOTAINMENT, *await self._handshake(channel))
        assert second.clock_time - first.clock_time == 100
        assert second.epoch == first.epoch

    async def test_counter_resumes_after_the_last_accepted_command(self, factory: SimFactory, world: World) -> None:
        _, channel = await open_channel(factory, world.now)
        await channel.handshake(INFOTAINMENT)
        for _ in range(3):
            await channel.command(INFOTAINMENT, ping())
        info = channel.signer.adopt(INFOTAINMENT, *await self._handshake(channel))
        assert info.counter == 3

    async def test_vehicle_id_works_as_the_tag(self, factory: SimFactory, world: World) -> None:
        env, channel = await open_channel(factory, world.now)
        channel.tag = str(env["vehicle"]["id"])
        await channel.handshake(INFOTAINMENT)
        await channel.command(INFOTAINMENT, ping())

    @staticmethod
    async def _handshake(channel: CommandChannel) -> tuple[um.RoutableMessage, um.RoutableMessage]:
        request = channel.signer.session_info_request(INFOTAINMENT)
        return request, await channel.exchange(request)


class TestUnknownKey:
    @pytest.mark.parametrize("domain", [VCSEC, INFOTAINMENT])
    async def test_key_not_on_whitelist_gets_no_vehicle_key_and_no_tag(
        self, factory: SimFactory, world: World, domain: int
    ) -> None:
        _, channel = await open_channel(factory, world.now, pair=None)
        request = channel.signer.session_info_request(domain)
        reply = await channel.exchange(request)
        info = channel.signer.read_session_info(request, reply)
        assert info.status == sig.SESSION_INFO_STATUS_KEY_NOT_ON_WHITELIST
        assert info.publicKey == b""
        assert info.epoch == b""
        assert not reply.signature_data.HasField("session_info_tag")
        assert reply.request_uuid == request.uuid
        with pytest.raises(SessionError, match="KEY_NOT_ON_WHITELIST"):
            channel.signer.adopt(domain, request, reply)

    async def test_another_apps_key_does_not_pair_this_one(self, factory: SimFactory, world: World) -> None:
        env, channel = await open_channel(factory, world.now, pair=None)
        other = await factory.app(domain="other.example.com")
        await factory.pair(env["vehicle"]["vin"], other["public_key_pem"])
        request = channel.signer.session_info_request(INFOTAINMENT)
        info = channel.signer.read_session_info(request, await channel.exchange(request))
        assert info.status == sig.SESSION_INFO_STATUS_KEY_NOT_ON_WHITELIST
