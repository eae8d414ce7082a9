"""`SignedCommander` sessions against the simulated car: caching, locking, resync, pairing, replay, fallback."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tesla_protocol.command import universal_message_pb2 as um

from fleetgate.protocol.authentication import DOMAIN_INFOTAINMENT, DOMAIN_VEHICLE_SECURITY
from fleetgate.simulator.world import World
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import (
    KEY_NOT_PAIRED_REASON,
    VEHICLE_UNAVAILABLE_REASON,
    KeyNotPaired,
    MobileAccessDisabled,
    RateLimited,
    UpstreamError,
    VehicleUnavailable,
)
from fleetgate.tesla.signing.commander import SignedCommander
from tests.simulator.factories import SimFactory
from tests.tesla.support import (
    SIGNED_COMMAND_ROUTE,
    add_fault,
    billed_commands,
    connect,
    endpoint_calls,
    executed,
    patch_vehicle,
    vehicle_state,
)
from tests.tesla.wire import OnTheWire, addressed_to, commands_only, fault

VCSEC = DOMAIN_VEHICLE_SECURITY
INFOTAINMENT = DOMAIN_INFOTAINMENT


@pytest.fixture
def wire(sim_app: FastAPI) -> OnTheWire:
    return OnTheWire(sim_app)


@pytest.fixture
async def wired_http(wire: OnTheWire) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=wire) as client:
        yield client


class TestSessionCache:
    async def test_the_second_command_costs_one_call(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        await commander.execute(env.api, env.vin, "door_unlock", {})
        assert await billed_commands(sim, env.client_id, env.vin) == 2  # handshake + command
        await commander.execute(env.api, env.vin, "door_lock", {})
        assert await billed_commands(sim, env.client_id, env.vin) == 3
        await commander.execute(env.api, env.vin, "honk_horn", {})  # the other domain has its own session
        assert await billed_commands(sim, env.client_id, env.vin) == 5
        assert commander.handshakes == 2
        assert [c["name"] for c in await executed(sim, env.vin)] == ["door_unlock", "door_lock", "honk_horn"]

    async def test_twenty_concurrent_commands_share_one_handshake(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        results = await asyncio.gather(*(commander.execute(env.api, env.vin, "honk_horn", {}) for _ in range(20)))
        assert all(r.result and r.signed for r in results)
        assert commander.handshakes == 1
        assert commander.resyncs == 0  # counters reached the car in order
        assert await billed_commands(sim, env.client_id, env.vin) == 21
        assert len(await executed(sim, env.vin, "honk_horn")) == 20

    async def test_concurrent_commands_to_both_domains_take_one_handshake_each(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        names = ["door_lock", "flash_lights"] * 6
        await asyncio.gather(*(commander.execute(env.api, env.vin, name, {}) for name in names))
        assert commander.handshakes == 2
        assert commander.resyncs == 0
        assert await billed_commands(sim, env.client_id, env.vin) == 14


class TestPairing:
    @pytest.mark.parametrize("name", ["door_lock", "honk_horn"])
    async def test_an_unpaired_key_is_key_not_paired_with_tesla_reason(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
        name: str,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair=None)
        commander = env.commander(clock=world.now)
        with pytest.raises(KeyNotPaired) as unpaired:
            await commander.execute(env.api, env.vin, name, {})
        assert unpaired.value.reason == "vehicle rejected request: your public key has not been paired with the vehicle"
        assert unpaired.value.reason == KEY_NOT_PAIRED_REASON
        assert commander.handshakes == 1
        assert commander.sessions.sessions == {}
        assert await executed(sim, env.vin) == []

    async def test_a_key_removed_after_the_handshake(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        await commander.execute(env.api, env.vin, "door_lock", {})
        assert (await sim.delete(f"/sim/vehicles/{env.vin}/keys")).status_code == 200
        with pytest.raises(KeyNotPaired) as unpaired:
            await commander.execute(env.api, env.vin, "door_unlock", {})
        assert unpaired.value.reason == KEY_NOT_PAIRED_REASON
        assert commander.sessions.get(env.vin, VCSEC) is None  # the next attempt starts with a handshake

    async def test_a_disabled_key(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        response = await sim.patch(
            f"/sim/vehicles/{env.vin}/keys", json={"public_key": env.app["public_key_pem"], "active": False}
        )
        assert response.status_code == 200
        with pytest.raises(KeyNotPaired) as disabled:
            await env.commander(clock=world.now).execute(env.api, env.vin, "door_lock", {})
        assert disabled.value.reason == "vehicle rejected request: MESSAGEFAULT_ERROR_INACTIVE_KEY"

    async def test_mobile_access_turned_off_in_the_car(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        await patch_vehicle(sim, env.vin, mobile_access_disabled=True)
        with pytest.raises(MobileAccessDisabled) as disabled:
            await env.commander(clock=world.now).execute(env.api, env.vin, "door_lock", {})
        assert disabled.value.reason == "vehicle rejected request: MESSAGEFAULT_ERROR_REMOTE_ACCESS_DISABLED"


class TestResync:
    async def test_a_reboot_gives_a_new_epoch_and_the_session_follows_without_a_handshake(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        await commander.execute(env.api, env.vin, "door_unlock", {})
        session = commander.sessions.get(env.vin, VCSEC)
        assert session is not None
        old_epoch = session.epoch
        rebooted = (await sim.post(f"/sim/vehicles/{env.vin}/reboot")).json()
        new_epoch = bytes.fromhex(rebooted["domains"][str(VCSEC)]["epoch"])
        assert new_epoch != old_epoch
        result = await commander.execute(env.api, env.vin, "door_lock", {})
        assert result.result
        assert commander.handshakes == 1
        assert commander.resyncs == 1
        assert session.epoch == new_epoch
        assert await billed_commands(sim, env.client_id, env.vin) == 4  # handshake, command, fault, command
        assert (await vehicle_state(sim, env.vin))["locked"] is True

    async def test_a_clock_that_drifted_is_corrected_from_the_fault(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        commander = env.commander()  # the local clock: it does not see the simulator's jump
        await commander.execute(env.api, env.vin, "honk_horn", {})
        await factory.advance(600)  # less than the car takes to fall asleep
        await commander.execute(env.api, env.vin, "flash_lights", {})
        assert (commander.handshakes, commander.resyncs) == (1, 1)
        await commander.execute(env.api, env.vin, "honk_horn", {})
        assert (commander.handshakes, commander.resyncs) == (1, 1)  # the offset is learned once
        assert len(await executed(sim, env.vin)) == 3

    async def test_resync_is_bounded(
        self,
        factory: SimFactory,
        wired_http: httpx.AsyncClient,
        wire: OnTheWire,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, wired_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        wire.intercept = commands_only(fault(um.MESSAGEFAULT_ERROR_INCORRECT_EPOCH))  # and no session info with it
        with pytest.raises(UpstreamError) as stuck:
            await commander.execute(env.api, env.vin, "door_lock", {})
        assert stuck.value.reason == "vehicle rejected request: MESSAGEFAULT_ERROR_INCORRECT_EPOCH"
        # The car never ran it, and may take it later.
        assert (stuck.value.may_have_succeeded, stuck.value.temporary) == (False, True)
        assert commander.resyncs == commander.max_resyncs == 2
        assert commander.handshakes == 3
        assert commander.sessions.get(env.vin, VCSEC) is None
        assert await executed(sim, env.vin) == []

    async def test_a_busy_car_is_asked_again_after_a_pause(
        self,
        factory: SimFactory,
        wired_http: httpx.AsyncClient,
        wire: OnTheWire,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, wired_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        commander.busy_pause_seconds = 0.0
        busy = commands_only(fault(um.MESSAGEFAULT_ERROR_BUSY))
        answered: list[int] = []

        def once(sent: um.RoutableMessage) -> um.RoutableMessage | None:
            answered.append(1)
            return busy(sent) if len(answered) == 2 else None  # the first command after the handshake

        wire.intercept = once
        assert (await commander.execute(env.api, env.vin, "door_lock", {})).result
        assert len(await executed(sim, env.vin, "door_lock")) == 1


class TestRepliesAreBoundToTheirRequest:
    async def test_a_stale_reply_for_another_request_is_rejected(
        self,
        factory: SimFactory,
        wired_http: httpx.AsyncClient,
        wire: OnTheWire,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        from fleetgate.protocol.messages import encode_routable

        env = await connect(factory, wired_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        await commander.execute(env.api, env.vin, "door_unlock", {})
        _, old_reply = wire.exchanges[-1]
        # The simulator answers the next signed_command with that old reply, and the car never sees the request.
        await add_fault(
            sim,
            path="signed_command",
            vin=env.vin,
            status=200,
            count=1,
            body={"response": encode_routable(old_reply)},
        )
        with pytest.raises(UpstreamError, match="answers another request"):
            await commander.execute(env.api, env.vin, "door_lock", {})
        assert [c["name"] for c in await executed(sim, env.vin)] == ["door_unlock"]
        await commander.execute(env.api, env.vin, "door_lock", {})  # the session survives a bad reply
        assert commander.handshakes == 1

    async def test_an_old_reply_readdressed_to_the_new_request_does_not_authenticate(
        self,
        factory: SimFactory,
        wired_http: httpx.AsyncClient,
        wire: OnTheWire,
        endpoints: TeslaEndpoints,
        world: World,
    ) -> None:
        env = await connect(factory, wired_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        await commander.execute(env.api, env.vin, "set_charge_limit", {"percent": 70})
        _, old_reply = wire.exchanges[-1]

        def replay(sent: um.RoutableMessage) -> um.RoutableMessage:
            forged = um.RoutableMessage()
            forged.CopyFrom(old_reply)
            forged.request_uuid = sent.uuid
            forged.to_destination.routing_address = sent.from_destination.routing_address
            return forged

        wire.intercept = commands_only(replay)
        with pytest.raises(UpstreamError) as rejected:
            await commander.execute(env.api, env.vin, "set_charge_limit", {"percent": 75})
        assert rejected.value.reason == "vehicle reply rejected: the encrypted reply does not authenticate"
        assert rejected.value.may_have_succeeded  # the car may well have run it; only its answer is not to be trusted

    async def test_a_clear_text_reply_after_encrypted_ones_is_a_downgrade(
        self,
        factory: SimFactory,
        wired_http: httpx.AsyncClient,
        wire: OnTheWire,
        endpoints: TeslaEndpoints,
        world: World,
    ) -> None:
        env = await connect(factory, wired_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        await commander.execute(env.api, env.vin, "door_unlock", {})

        def plaintext_ok(sent: um.RoutableMessage) -> um.RoutableMessage:
            reply = addressed_to(sent)
            reply.protobuf_message_as_bytes = b""  # an empty FromVCSECMessage: "done"
            return reply

        wire.intercept = commands_only(plaintext_ok)
        with pytest.raises(UpstreamError, match="clear text"):
            await commander.execute(env.api, env.vin, "door_lock", {})


class TestUnreachableCar:
    async def test_an_asleep_car_is_unavailable_until_woken(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner", state="asleep")
        commander = env.commander(clock=world.now)
        with pytest.raises(VehicleUnavailable) as asleep:
            await commander.execute(env.api, env.vin, "door_unlock", {})
        assert asleep.value.reason == VEHICLE_UNAVAILABLE_REASON
        assert asleep.value.status == 408
        woken = await commander.execute(env.api, env.vin, "wake_up", {})
        assert (woken.signed, woken.vehicle_state) == (False, "asleep")
        await factory.advance(30)
        assert (await commander.execute(env.api, env.vin, "door_unlock", {})).result
        assert (await vehicle_state(sim, env.vin))["locked"] is False

    async def test_a_rate_limited_car_says_when_to_come_back(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        commander = env.commander(clock=world.now)
        for _ in range(29):  # 30 calls a minute, the handshake included
            await commander.execute(env.api, env.vin, "flash_lights", {})
        with pytest.raises(RateLimited) as limited:
            await commander.execute(env.api, env.vin, "flash_lights", {})
        body: Any = limited.value.body
        announced = re.fullmatch(r"Retry in (\d+) seconds", body["error_description"])
        assert announced is not None
        assert limited.value.retry_after == float(announced.group(1))
        await factory.advance(limited.value.retry_after)
        assert (await commander.execute(env.api, env.vin, "flash_lights", {})).result


class TestRestFallback:
    async def test_a_422_sends_the_command_over_rest_and_is_remembered(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, command_signing="off", model="Model S")
        remembered: list[str] = []

        async def on_rest_only(vin: str) -> None:
            remembered.append(vin)

        commander = SignedCommander(env.app["private_key"], on_rest_only=on_rest_only, clock=world.now)
        first = await commander.execute(env.api, env.vin, "door_unlock", {})
        assert (first.result, first.signed) == (True, False)
        assert commander.rest_only == {env.vin}
        assert remembered == [env.vin]
        await commander.execute(env.api, env.vin, "honk_horn", {})
        await commander.execute(env.api, env.vin, "set_charge_limit", {"percent": 60})
        assert await endpoint_calls(sim, env.client_id, SIGNED_COMMAND_ROUTE) == 1
        commands = await executed(sim, env.vin)
        assert [(c["name"], c["via"]) for c in commands] == [
            ("door_unlock", "rest"),
            ("honk_horn", "rest"),
            ("set_charge_limit", "rest"),
        ]
        assert remembered == [env.vin]

    async def test_concurrent_commands_learn_it_once(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, command_signing="off")
        commander = env.commander(clock=world.now)
        await asyncio.gather(*(commander.execute(env.api, env.vin, "flash_lights", {}) for _ in range(5)))
        assert await endpoint_calls(sim, env.client_id, SIGNED_COMMAND_ROUTE) == 1
        assert len(await executed(sim, env.vin, "flash_lights")) == 5

    async def test_waking_is_the_rest_endpoint_for_every_car(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        world: World,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, command_signing="off", state="asleep")
        result = await env.commander(clock=world.now).execute(env.api, env.vin, "wake_up", {})
        assert result.vehicle_state == "asleep"
        assert (await vehicle_state(sim, env.vin))["wake_at"] is not None
        assert await endpoint_calls(sim, env.client_id, SIGNED_COMMAND_ROUTE) == 0
