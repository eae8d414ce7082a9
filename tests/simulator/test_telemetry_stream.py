"""The simulator's cars stream their configured fields to a real WebSocket receiver over mutual TLS.

The world's clock moves only when a test advances it, and the cars look at it only when the test ticks them, so
what is sent when is decided by the test; what arrives is awaited.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed

from fleetgate.protocol.telemetry.certificates import CertificateAuthority, vin_of
from fleetgate.protocol.telemetry.envelope import (
    INCORRECT_MESSAGE_FORMAT,
    FormatErrorReply,
    StreamAck,
    StreamMessage,
    decode_frame,
    encode_ack,
    encode_format_error,
)
from fleetgate.protocol.telemetry.jws import sign_fleet_message
from fleetgate.protocol.telemetry.records import Location, VehicleData, decode_vehicle_data, encode_vehicle_data
from fleetgate.simulator.app import create_simulator_app
from fleetgate.simulator.auth.tokens import TokenIssuer
from fleetgate.simulator.clock import SimClock
from fleetgate.simulator.telemetry.signals import SIGNALS, signals_of
from fleetgate.simulator.telemetry.streamer import FIRST_RETRY_SECONDS, RESEND_AFTER_SECONDS, CarStream, Streamers
from fleetgate.simulator.vehicles.vehicle import Vehicle
from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory
from tests.support.polling import eventually

START = 1_790_000_000.0


@pytest.fixture
def world(token_issuer: TokenIssuer) -> World:
    """A world whose clock stands still unless the test moves it."""
    return World(seed=7, issuer=token_issuer, clock=SimClock(START, realtime=False))


@dataclass
class Receiver:
    """A Fleet Telemetry server as Tesla's runs it: mutual TLS, binary frames, an ack for each record."""

    ca: CertificateAuthority
    ack: bool = True
    refuse: bool = False
    frames: list[StreamMessage] = field(default_factory=list)
    headers: list[Headers] = field(default_factory=list)
    vins: list[str] = field(default_factory=list)
    open_sockets: int = 0
    server: Server | None = None
    port: int = 0

    @property
    def records(self) -> list[VehicleData]:
        return [decode_vehicle_data(frame.payload) for frame in self.frames]

    async def handle(self, socket: ServerConnection) -> None:
        self.open_sockets += 1
        self.vins.append(vin_of(socket.transport.get_extra_info("ssl_object").getpeercert(binary_form=True)))
        assert socket.request is not None
        self.headers.append(socket.request.headers)
        try:
            async for frame in socket:
                assert isinstance(frame, bytes)
                message = decode_frame(frame)
                assert isinstance(message, StreamMessage)
                self.frames.append(message)
                if self.refuse:
                    await socket.send(encode_format_error(FormatErrorReply(message.txid, INCORRECT_MESSAGE_FORMAT)))
                elif self.ack:
                    await socket.send(encode_ack(StreamAck(txid=message.txid, topic=message.topic, message_id=b"")))
        except ConnectionClosed:
            pass
        finally:
            self.open_sockets -= 1


def _server_context(ca: CertificateAuthority, cars_ca: str, directory: Path) -> ssl.SSLContext:
    cert_pem, key_pem = ca.issue_server(["localhost", "127.0.0.1"])
    (directory / "receiver.pem").write_bytes(cert_pem)
    (directory / "receiver.key").write_bytes(key_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(directory / "receiver.pem", directory / "receiver.key")
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cadata=cars_ca)
    return context


@pytest.fixture
async def receiver(sim: httpx.AsyncClient, tmp_path: Path) -> AsyncIterator[Receiver]:
    response = await sim.get("/sim/telemetry/ca")
    assert response.status_code == 200
    receiver = Receiver(ca=CertificateAuthority.create("Receiver CA"))
    context = _server_context(receiver.ca, response.text, tmp_path)
    async with serve(receiver.handle, "127.0.0.1", 0, ssl=context, compression=None) as server:
        receiver.server = server
        receiver.port = server.sockets[0].getsockname()[1]
        yield receiver


@pytest.fixture
async def streamers(world: World) -> AsyncIterator[Streamers]:
    streamers = Streamers(world)
    yield streamers
    await streamers.close()


@pytest.fixture
async def env(factory: SimFactory) -> dict[str, Any]:
    env = await factory.setup()
    await factory.pair(env["vehicle"]["vin"], env["app"]["public_key_pem"])
    return env


async def configure(
    sim: httpx.AsyncClient, env: dict[str, Any], receiver: Receiver, world: World, **overrides: Any
) -> None:
    claims = {
        "hostname": "127.0.0.1",
        "port": receiver.port,
        "ca": receiver.ca.cert_pem.decode(),
        "fields": {
            "BatteryLevel": {"interval_seconds": 60},
            "Location": {"interval_seconds": 10},
            "Locked": {"interval_seconds": 10},
            "VehicleName": {"interval_seconds": 600},
        },
        "alert_types": ["service"],
        "exp": int(world.now()) + 86400,
        **overrides,
    }
    token = sign_fleet_message(env["app"]["private_key"], claims)
    response = await sim.post(
        f"{env['base']}/vehicles/fleet_telemetry_config_jws",
        json={"vins": [env["vehicle"]["vin"]], "token": token},
        headers=env["headers"],
    )
    assert response.json()["response"]["updated_vehicles"] == 1, response.text


async def frames(receiver: Receiver, count: int) -> list[StreamMessage]:
    await eventually(lambda: len(receiver.frames), until=lambda n: n >= count, what=f"{count} frames")
    return receiver.frames


def stream_of(streamers: Streamers, env: dict[str, Any]) -> CarStream:
    stream = streamers.stream(env["vehicle"]["vin"], env["app"]["client_id"])
    assert stream is not None
    return stream


async def test_a_car_streams_its_configured_fields_as_tesla_cars_do(
    sim: httpx.AsyncClient, env: dict[str, Any], receiver: Receiver, world: World, streamers: Streamers
) -> None:
    vin = env["vehicle"]["vin"]
    await configure(sim, env, receiver, world)

    await streamers.tick()

    (frame,) = await frames(receiver, 1)
    record = receiver.records[0]
    assert (frame.topic, frame.device_id, frame.device_type, frame.created_at) == (
        b"V",
        vin.encode(),
        b"vehicle_device",
        int(START),
    )
    assert (record.vin, record.created_at.timestamp(), record.is_resend) == (vin, START, False)
    assert record.data == {
        "BatteryLevel": 62.0,
        "Location": Location(latitude=37.4925, longitude=-121.9447),
        "Locked": True,
        "VehicleName": env["vehicle"]["display_name"],
    }
    assert receiver.vins == [vin]
    assert receiver.headers[0]["Version"] == world.vehicles[vin].firmware
    assert receiver.headers[0]["X-Network-Interface"] == "wifi"
    assert receiver.headers[0]["X-TXID"]
    await eventually(lambda: stream_of(streamers, env).acked, what="the receiver's ack")
    usage = (await sim.get("/sim/usage")).json()
    assert usage["clients"][env["app"]["client_id"]]["devices"][vin]["streaming_signals"] == 4


async def test_fields_are_sent_on_change_at_their_interval_and_beyond_their_minimum_delta(
    sim: httpx.AsyncClient,
    factory: SimFactory,
    env: dict[str, Any],
    receiver: Receiver,
    world: World,
    streamers: Streamers,
) -> None:
    vin = env["vehicle"]["vin"]
    fields = {
        "BatteryLevel": {"interval_seconds": 60, "minimum_delta": 1},
        "Locked": {"interval_seconds": 10},
        "Odometer": {"interval_seconds": 10, "resend_interval_seconds": 30},
    }
    await configure(sim, env, receiver, world, fields=fields)
    await streamers.tick()
    await frames(receiver, 1)

    await sim.patch(f"/sim/vehicles/{vin}", json={"locked": False, "battery_level": 62.5})
    for step in (5, 5, 20, 30):
        # 5: nothing is due yet; 10: Locked changed; 30: Odometer, unchanged, is due again after its resend
        # interval; 60: the battery is looked at, but moved less than its delta, and Odometer is due again
        await factory.advance(step)
        await streamers.tick()
    await sim.patch(f"/sim/vehicles/{vin}", json={"battery_level": 70})
    await factory.advance(60)
    await streamers.tick()

    await frames(receiver, 5)
    assert [record.data for record in receiver.records] == [
        {"BatteryLevel": 62.0, "Locked": True, "Odometer": 12345.6},
        {"Locked": False},
        {"Odometer": 12345.6},
        {"Odometer": 12345.6},
        {"BatteryLevel": 70.0, "Odometer": 12345.6},
    ]
    assert [round(record.created_at.timestamp() - START) for record in receiver.records] == [0, 10, 30, 60, 120]


async def test_unacked_records_are_sent_again_with_the_latest_delivery_policy(
    sim: httpx.AsyncClient,
    factory: SimFactory,
    env: dict[str, Any],
    receiver: Receiver,
    world: World,
    streamers: Streamers,
) -> None:
    receiver.ack = False
    await configure(sim, env, receiver, world, delivery_policy="latest", fields={"Locked": {"interval_seconds": 3600}})
    await streamers.tick()
    (first,) = await frames(receiver, 1)

    await factory.advance(RESEND_AFTER_SECONDS)
    receiver.ack = True
    await streamers.tick()

    again = (await frames(receiver, 2))[1]
    assert (again.txid, again.created_at) == (first.txid, first.created_at)
    assert [record.is_resend for record in receiver.records] == [False, True]
    assert receiver.records[1].created_at == receiver.records[0].created_at
    await eventually(lambda: not stream_of(streamers, env).unacked, what="the resent record acked")
    await factory.advance(RESEND_AFTER_SECONDS)
    await streamers.tick()
    assert len(receiver.frames) == 2


async def test_without_the_latest_policy_a_record_is_sent_once(
    sim: httpx.AsyncClient,
    factory: SimFactory,
    env: dict[str, Any],
    receiver: Receiver,
    world: World,
    streamers: Streamers,
) -> None:
    receiver.ack = False
    await configure(sim, env, receiver, world, fields={"Locked": {"interval_seconds": 3600}})
    await streamers.tick()
    await frames(receiver, 1)

    await factory.advance(RESEND_AFTER_SECONDS * 2)
    await streamers.tick()

    assert not stream_of(streamers, env).unacked
    assert len(receiver.frames) == 1


async def test_a_record_the_receiver_refuses_is_not_sent_again(
    sim: httpx.AsyncClient,
    factory: SimFactory,
    env: dict[str, Any],
    receiver: Receiver,
    world: World,
    streamers: Streamers,
) -> None:
    receiver.refuse = True
    await configure(sim, env, receiver, world, delivery_policy="latest", fields={"Locked": {"interval_seconds": 3600}})
    await streamers.tick()
    (frame,) = await frames(receiver, 1)

    stream = stream_of(streamers, env)
    await eventually(lambda: stream.refused, what="the receiver's refusal")
    assert stream.refused == [(frame.txid, "incorrect message format")]
    assert not stream.unacked
    await factory.advance(RESEND_AFTER_SECONDS)
    await streamers.tick()
    assert len(receiver.frames) == 1


async def test_a_sleeping_car_stops_streaming_and_streams_again_once_awake(
    sim: httpx.AsyncClient,
    factory: SimFactory,
    env: dict[str, Any],
    receiver: Receiver,
    world: World,
    streamers: Streamers,
) -> None:
    vin = env["vehicle"]["vin"]
    await configure(sim, env, receiver, world, fields={"Locked": {"interval_seconds": 10}})
    await streamers.tick()
    await frames(receiver, 1)

    await sim.patch(f"/sim/vehicles/{vin}", json={"state": "asleep", "locked": False})
    await factory.advance(60)
    await streamers.tick()

    await eventually(lambda: receiver.open_sockets, until=lambda n: n == 0, what="the sleeping car's socket closed")
    assert len(receiver.frames) == 1
    wake = await sim.post(f"{env['base']}/vehicles/{vin}/wake_up", headers=env["headers"])
    assert wake.status_code == 200
    await factory.advance(world.vehicles[vin].wake_delay_seconds)
    await streamers.tick()
    await frames(receiver, 2)
    assert receiver.records[1].data == {"Locked": False}
    assert receiver.vins == [vin, vin]


async def test_an_unreachable_receiver_is_tried_again_with_a_growing_back_off(
    sim: httpx.AsyncClient,
    factory: SimFactory,
    env: dict[str, Any],
    receiver: Receiver,
    world: World,
    streamers: Streamers,
) -> None:
    assert receiver.server is not None
    receiver.server.close()
    await receiver.server.wait_closed()
    await configure(sim, env, receiver, world)

    await streamers.tick()
    stream = stream_of(streamers, env)
    assert (stream.failures, stream.retry_at) == (1, START + FIRST_RETRY_SECONDS)
    await streamers.tick()
    assert stream.failures == 1  # not before its time
    await factory.advance(FIRST_RETRY_SECONDS)
    await streamers.tick()
    assert (stream.failures, stream.retry_at) == (2, world.now() + 2 * FIRST_RETRY_SECONDS)


async def test_a_receiver_the_config_does_not_vouch_for_is_refused(
    sim: httpx.AsyncClient, env: dict[str, Any], receiver: Receiver, world: World, streamers: Streamers
) -> None:
    stranger = CertificateAuthority.create("Not the receiver's CA")
    await configure(sim, env, receiver, world, ca=stranger.cert_pem.decode())

    await streamers.tick()

    assert stream_of(streamers, env).failures == 1
    assert receiver.frames == []


async def test_the_cars_ca_signs_the_certificates_they_present(sim: httpx.AsyncClient, world: World) -> None:
    response = await sim.get("/sim/telemetry/ca")

    assert response.headers["content-type"] == "application/x-pem-file"
    assert response.content == world.car_certificates.authority.cert_pem


def test_every_signal_a_car_models_is_a_tesla_field_of_a_type_tesla_sends(world: World) -> None:
    car = Vehicle(id=1, vehicle_id=2, vin="5YJ3E1EA7KF000001", account_id="a", display_name="Blue")

    values = signals_of(car, frozenset(SIGNALS))
    record = decode_vehicle_data(encode_vehicle_data(car.vin, datetime.fromtimestamp(START, UTC), values))

    assert record.data == values
    assert values["DetailedChargeState"] == "DetailedChargeStateDisconnected"
    assert values["Gear"] == "ShiftStateP"


async def test_the_app_streams_in_its_lifespan_and_stops_with_it(
    sim: httpx.AsyncClient, env: dict[str, Any], receiver: Receiver, world: World
) -> None:
    await configure(sim, env, receiver, world, fields={"Locked": {"interval_seconds": 10}})
    app = create_simulator_app(world, stream_telemetry=True)

    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim") as client,
    ):
        await frames(receiver, 1)
        (stream,) = await eventually(
            lambda: _streams(client), until=lambda data: data and data[0]["acked"], what="the record acked"
        )
        assert (stream["vin"], stream["connected"], stream["unacked"]) == (env["vehicle"]["vin"], True, 0)

    await eventually(lambda: receiver.open_sockets, until=lambda n: n == 0, what="the socket closed with the app")


async def _streams(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = (await client.get("/sim/telemetry/streams")).json()["data"]
    return data
