"""Decoded telemetry records published to the NATS server and the MQTT broker that run beside the suite.

Without them these tests skip, unless FLEETGATE_REQUIRE_BROKERS=1 (as in CI) makes that a failure. Each test
publishes under a prefix of its own, so tests running in parallel never see each other's messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiomqtt
import nats
import pytest
from nats.aio.msg import Msg
from sqlalchemy import select

from fleetgate.config import Settings, SettingsError
from fleetgate.features.telemetry.brokers import (
    BrokerSettings,
    BrokerUnavailable,
    alerts_record,
    connectivity_record,
    errors_record,
    open_publisher,
    vehicle_data_record,
)
from fleetgate.features.telemetry.server import RunningReceiver, running_receiver, vehicle_tls
from fleetgate.infra.metrics import Metrics
from fleetgate.infra.models import TelemetryRecord
from fleetgate.infra.runtime import Runtime
from fleetgate.protocol.telemetry.envelope import StreamAck, StreamMessage, format_error_of
from fleetgate.protocol.telemetry.records import (
    Alert,
    Connectivity,
    Location,
    VehicleAlerts,
    VehicleData,
    VehicleError,
    VehicleErrors,
)
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.telemetry_cars import HOST, Pki, streaming, v_frame
from tests.support.live import free_port
from tests.support.polling import eventually

NATS_URL = os.environ.get("FLEETGATE_TEST_NATS_URL", "nats://127.0.0.1:4222")
MQTT_URL = os.environ.get("FLEETGATE_TEST_MQTT_URL", "mqtt://127.0.0.1:1883")
REQUIRE_BROKERS_ENV = "FLEETGATE_REQUIRE_BROKERS"
VIN = "5YJ3E7EB2NF000001"
MADE_AT = datetime(2026, 12, 6, 17, 0, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Device:
    id: str
    workspace_id: str
    location: bool = True


DEVICE = Device("dev_1", "ws_1")


def _reachable(url: str) -> None:
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=2).close()
    except OSError as error:
        if os.environ.get(REQUIRE_BROKERS_ENV):
            pytest.fail(f"{REQUIRE_BROKERS_ENV} is set but the broker at {url} is unreachable: {error}")
        pytest.skip(f"no broker at {url} ({error}); set FLEETGATE_TEST_NATS_URL / FLEETGATE_TEST_MQTT_URL")


@pytest.fixture
def prefix() -> str:
    return f"fgtest_{secrets.token_hex(6)}"


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
async def nats_messages(prefix: str) -> AsyncIterator[list[Msg]]:
    _reachable(NATS_URL)
    received: list[Msg] = []

    async def keep(message: Msg) -> None:
        received.append(message)

    client = await nats.connect(NATS_URL)
    await client.subscribe(f"{prefix}.>", cb=keep)
    await client.flush()
    yield received
    await client.close()


@pytest.fixture
async def mqtt_messages(prefix: str) -> AsyncIterator[list[aiomqtt.Message]]:
    _reachable(MQTT_URL)
    received: list[aiomqtt.Message] = []
    parts = urlsplit(MQTT_URL)
    async with aiomqtt.Client(parts.hostname or "", parts.port or 1883) as client:
        await client.subscribe(f"{prefix}/#", qos=1)

        async def keep() -> None:
            async for message in client.messages:
                received.append(message)

        listener = asyncio.create_task(keep())
        yield received
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener


def _closed_port_url(scheme: str) -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"{scheme}://127.0.0.1:{port}"


def _vehicle_data(**data: Any) -> VehicleData:
    return VehicleData(vin=VIN, created_at=MADE_AT, is_resend=False, data=data)


def _by_subject(messages: list[Msg]) -> dict[str, Any]:
    return {message.subject: json.loads(message.data) for message in messages}


def _by_topic(messages: list[aiomqtt.Message]) -> dict[str, Any]:
    return {message.topic.value: json.loads(bytes(message.payload)) for message in messages}  # type: ignore[arg-type]


def _sample(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(f"fleetgate_telemetry_broker_{name}_total", labels) or 0.0


async def _arrived(messages: list[Any], count: int, what: str) -> None:
    await eventually(lambda: len(messages), until=lambda n: n >= count, what=what)


class TestNats:
    async def test_each_record_on_its_vins_subject_by_topic(
        self, prefix: str, metrics: Metrics, nats_messages: list[Msg]
    ) -> None:
        record = _vehicle_data(BatteryLevel=80.5, DetailedChargeState="DetailedChargeStateCharging", Odometer=100.0)
        alerts = VehicleAlerts(VIN, MADE_AT, (Alert("ChargePortFault", ("Customer",), MADE_AT, None),))
        errors = VehicleErrors(VIN, MADE_AT, (VehicleError("thermal", MADE_AT, {"a": "b"}, "body"),))
        online = Connectivity(VIN, "stream-1", "CONNECTED", MADE_AT, "wifi")
        settings = BrokerSettings(nats_url=NATS_URL, prefix=prefix)
        async with open_publisher(settings, metrics) as publisher:
            assert publisher is not None
            assert not publisher.reliable
            await publisher.publish(vehicle_data_record(VIN, record, [DEVICE]))
            await publisher.publish(alerts_record(VIN, alerts, [DEVICE]))
            await publisher.publish(errors_record(VIN, errors, [DEVICE]))
            await publisher.publish(connectivity_record(VIN, online, [DEVICE]))
            await _arrived(nats_messages, 4, "the four records on NATS")

        received = _by_subject(nats_messages)
        assert set(received) == {f"{prefix}.{VIN}.{kind}" for kind in ("V", "alerts", "errors", "connectivity")}
        data = received[f"{prefix}.{VIN}.V"]
        assert data["vin"] == VIN
        assert data["topic"] == "V"
        assert data["created_at"] == "2026-12-06T17:00:00Z"
        assert data["is_resend"] is False
        assert data["devices"] == [{"device_id": "dev_1", "workspace_id": "ws_1"}]
        assert data["fields"] == {
            "BatteryLevel": 80.5,
            "DetailedChargeState": "DetailedChargeStateCharging",
            "Odometer": 100.0,
        }
        assert data["state"] == {
            "battery_level_pct": 80.5,
            "charging_state": "charging",
            "plugged_in": True,
            "odometer_km": 160.93,
            "odometer_mi": 100.0,
        }
        assert received[f"{prefix}.{VIN}.alerts"]["alerts"] == [
            {
                "name": "ChargePortFault",
                "audiences": ["Customer"],
                "started_at": "2026-12-06T17:00:00Z",
                "ended_at": None,
            }
        ]
        assert received[f"{prefix}.{VIN}.errors"]["errors"] == [
            {"name": "thermal", "created_at": "2026-12-06T17:00:00Z", "tags": {"a": "b"}, "body": "body"}
        ]
        assert received[f"{prefix}.{VIN}.connectivity"]["status"] == "CONNECTED"
        assert _sample(metrics, "published", broker="nats", topic="V") == 1

    async def test_location_only_when_a_device_may_read_it(
        self, prefix: str, metrics: Metrics, nats_messages: list[Msg]
    ) -> None:
        record = _vehicle_data(Location=Location(52.5, 13.4), GpsHeading=90.0, BatteryLevel=50.0)
        async with open_publisher(BrokerSettings(nats_url=NATS_URL, prefix=prefix), metrics) as publisher:
            assert publisher is not None
            await publisher.publish(vehicle_data_record(VIN, record, [Device("dev_1", "ws_1", location=False)]))
            await publisher.publish(
                vehicle_data_record(VIN, record, [Device("dev_1", "ws_1", location=False), Device("dev_2", "ws_2")])
            )
            await _arrived(nats_messages, 2, "both records on NATS")

        hidden, shown = (json.loads(message.data) for message in nats_messages)
        assert hidden["fields"] == {"BatteryLevel": 50.0}
        assert hidden["state"] == {"battery_level_pct": 50.0}
        assert shown["fields"]["Location"] == {"latitude": 52.5, "longitude": 13.4}
        assert shown["state"]["location"] == {"latitude": 52.5, "longitude": 13.4, "heading_deg": 90.0}


class TestMqtt:
    async def test_the_record_and_each_field_on_teslas_topics(
        self, prefix: str, metrics: Metrics, mqtt_messages: list[aiomqtt.Message]
    ) -> None:
        record = _vehicle_data(BatteryLevel=80.5, Locked=True)
        online = Connectivity(VIN, "stream-1", "DISCONNECTED", MADE_AT, "cellular")
        async with open_publisher(BrokerSettings(mqtt_url=MQTT_URL, prefix=prefix), metrics) as publisher:
            assert publisher is not None
            await publisher.publish(vehicle_data_record(VIN, record, [DEVICE]))
            await publisher.publish(connectivity_record(VIN, online, [DEVICE]))
            await _arrived(mqtt_messages, 4, "the records and fields on MQTT")

        received = _by_topic(mqtt_messages)
        assert set(received) == {
            f"{prefix}/{VIN}/v",
            f"{prefix}/{VIN}/v/BatteryLevel",
            f"{prefix}/{VIN}/v/Locked",
            f"{prefix}/{VIN}/connectivity",
        }
        assert received[f"{prefix}/{VIN}/v/BatteryLevel"] == {"value": 80.5}
        assert received[f"{prefix}/{VIN}/v/Locked"] == {"value": True}
        assert received[f"{prefix}/{VIN}/v"]["state"] == {"battery_level_pct": 80.5, "locked": True}
        assert received[f"{prefix}/{VIN}/connectivity"]["network_interface"] == "cellular"
        assert _sample(metrics, "published", broker="mqtt", topic="connectivity") == 1


class TestBothBrokers:
    async def test_one_publish_reaches_both(
        self, prefix: str, metrics: Metrics, nats_messages: list[Msg], mqtt_messages: list[aiomqtt.Message]
    ) -> None:
        settings = BrokerSettings(nats_url=NATS_URL, mqtt_url=MQTT_URL, prefix=prefix, reliable=True)
        async with open_publisher(settings, metrics) as publisher:
            assert publisher is not None
            await publisher.publish(vehicle_data_record(VIN, _vehicle_data(BatteryLevel=1.0), [DEVICE]))
            await _arrived(nats_messages, 1, "the record on NATS")
            await _arrived(mqtt_messages, 2, "the record and its field on MQTT")


class TestBrokerDown:
    @pytest.mark.parametrize("scheme", ["nats", "mqtt"])
    async def test_buffered_publishing_never_waits_and_drops_the_oldest_when_full(
        self, scheme: str, prefix: str, metrics: Metrics
    ) -> None:
        down = _closed_port_url(scheme)
        settings = BrokerSettings(**{f"{scheme}_url": down}, prefix=prefix, buffer_records=2)
        async with open_publisher(settings, metrics) as publisher:
            assert publisher is not None
            for level in range(5):
                # Returns at once: the receiver stores and acks whatever the broker does.
                await publisher.publish(vehicle_data_record(VIN, _vehicle_data(BatteryLevel=float(level)), [DEVICE]))
            assert _sample(metrics, "dropped", broker=scheme) == 3
            assert metrics.registry.get_sample_value("fleetgate_telemetry_broker_buffered", {"broker": scheme}) == 2
            await eventually(
                lambda: _sample(metrics, "failures", broker=scheme), what=f"a failed attempt to reach {scheme}"
            )
        assert _sample(metrics, "dropped", broker=scheme) == 5, "what was left unsent at the stop counts as dropped"
        assert _sample(metrics, "published", broker=scheme, topic="V") == 0

    @pytest.mark.parametrize("scheme", ["nats", "mqtt"])
    async def test_reliable_publishing_raises_so_the_ack_is_withheld(
        self, scheme: str, prefix: str, metrics: Metrics
    ) -> None:
        settings = BrokerSettings(**{f"{scheme}_url": _closed_port_url(scheme)}, prefix=prefix, reliable=True)
        async with open_publisher(settings, metrics) as publisher:
            assert publisher is not None
            assert publisher.reliable
            with pytest.raises(BrokerUnavailable):
                await publisher.publish(vehicle_data_record(VIN, _vehicle_data(BatteryLevel=1.0), [DEVICE]))
        assert _sample(metrics, "failures", broker=scheme) == 1


class Relay:
    """A TCP relay to a broker that the test can stop and start again on the same port: a broker going down and
    coming back."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.scheme, self.host, self.port = parts.scheme, parts.hostname or "", parts.port or 0
        self.listen_port = 0
        self.server: asyncio.Server | None = None
        self.pipes: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.listen_port}"

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.listen_port, reuse_address=True)
        self.listen_port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for pipe in list(self.pipes):
            pipe.cancel()
        await asyncio.gather(*self.pipes, return_exceptions=True)
        await self.server.wait_closed()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(self.host, self.port)
        pipes = [
            asyncio.create_task(self._pipe(reader, upstream_writer)),
            asyncio.create_task(self._pipe(upstream_reader, writer)),
        ]
        self.pipes.update(pipes)
        try:
            await asyncio.gather(*pipes, return_exceptions=True)
        finally:
            for stream in (writer, upstream_writer):
                stream.close()
            self.pipes.difference_update(pipes)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        writer.close()


class TestBrokerBack:
    async def test_buffered_records_reach_the_broker_once_it_is_back(
        self, prefix: str, metrics: Metrics, nats_messages: list[Msg]
    ) -> None:
        relay = Relay(NATS_URL)
        await relay.start()
        async with open_publisher(BrokerSettings(nats_url=relay.url, prefix=prefix), metrics) as publisher:
            assert publisher is not None
            await publisher.publish(vehicle_data_record(VIN, _vehicle_data(BatteryLevel=1.0), [DEVICE]))
            await _arrived(nats_messages, 1, "the record before the broker goes down")

            await relay.stop()
            for level in (2.0, 3.0):
                await publisher.publish(vehicle_data_record(VIN, _vehicle_data(BatteryLevel=level), [DEVICE]))
            await eventually(lambda: _sample(metrics, "failures", broker="nats"), what="a failed attempt")
            await relay.start()
            try:
                await _arrived(nats_messages, 3, "the buffered records once the broker is back")
            finally:
                await relay.stop()

        levels = [json.loads(message.data)["fields"]["BatteryLevel"] for message in nats_messages]
        assert levels == [1.0, 2.0, 3.0]
        assert _sample(metrics, "dropped", broker="nats") == 0


def test_no_broker_configured_is_no_publisher() -> None:
    async def opened() -> object:
        async with open_publisher(BrokerSettings(), Metrics()) as publisher:
            return publisher

    assert asyncio.run(opened()) is None


@pytest.mark.parametrize("prefix", ["", "a..b", "a.*", "a/#", "with space"])
def test_a_prefix_that_would_change_the_subjects_is_refused(prefix: str) -> None:
    with pytest.raises(SettingsError, match="prefix"):
        BrokerSettings(prefix=prefix)


@pytest.mark.parametrize(
    ("setting", "url"),
    [("nats_url", "http://127.0.0.1:4222"), ("mqtt_url", "tcp://127.0.0.1"), ("mqtt_url", "mqtt://")],
)
def test_a_url_of_another_kind_is_refused_at_the_start(setting: str, url: str) -> None:
    with pytest.raises(SettingsError, match=setting.upper()):
        BrokerSettings(**{setting: url})


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return Pki.create(tmp_path)


@asynccontextmanager
async def receiving(runtime: Runtime, pki: Pki, brokers: BrokerSettings) -> AsyncIterator[RunningReceiver]:
    tls = vehicle_tls(*pki.server_tls_files())
    async with running_receiver(runtime, tls, host=HOST, port=0, brokers=brokers) as running:
        yield running


async def stored_records(runtime: Runtime, device_id: str) -> int:
    async with runtime.sessionmaker() as session:
        found = await session.scalars(select(TelemetryRecord.id).where(TelemetryRecord.device_id == device_id))
        return len(list(found))


def _records(runtime: Runtime, outcome: str) -> float:
    return runtime.metrics.registry.get_sample_value("fleetgate_telemetry_records_total", {"outcome": outcome}) or 0.0


def _acked(reply: StreamMessage | StreamAck, txid: bytes) -> bool:
    return isinstance(reply, StreamAck) and reply.txid == txid


class TestThroughTheReceiver:
    async def test_a_stored_record_is_acked_and_published_with_its_device(
        self,
        connect: Connector,
        tenant: Tenant,
        gateway_runtime: Runtime,
        pki: Pki,
        prefix: str,
        nats_messages: list[Msg],
    ) -> None:
        car = (await connect()).vehicle
        vin = car.external_id
        settings = BrokerSettings(nats_url=NATS_URL, prefix=prefix)
        async with receiving(gateway_runtime, pki, settings) as running, streaming(pki, running.port, vin) as stream:
            assert _acked(await stream.send(v_frame(vin, MADE_AT, {"BatteryLevel": 64.0}, txid=b"tx-1")), b"tx-1")
        await _arrived(nats_messages, 3, "the car's connection, its record and its disconnection on NATS")

        subjects = [message.subject for message in nats_messages]
        assert subjects == [f"{prefix}.{vin}.{kind}" for kind in ("connectivity", "V", "connectivity")]
        connected, record, disconnected = (json.loads(message.data) for message in nats_messages)
        assert record["devices"] == [{"device_id": car.id, "workspace_id": tenant.workspace_id}]
        assert record["state"] == {"battery_level_pct": 64.0}
        assert (connected["status"], disconnected["status"]) == ("CONNECTED", "DISCONNECTED")
        assert connected["connection_id"] == disconnected["connection_id"]

    async def test_a_broker_that_is_down_does_not_stop_storing_and_acking(
        self, connect: Connector, gateway_runtime: Runtime, pki: Pki, prefix: str
    ) -> None:
        car = (await connect()).vehicle
        vin = car.external_id
        down = BrokerSettings(nats_url=_closed_port_url("nats"), mqtt_url=_closed_port_url("mqtt"), prefix=prefix)
        async with receiving(gateway_runtime, pki, down) as running, streaming(pki, running.port, vin) as stream:
            assert _acked(await stream.send(v_frame(vin, MADE_AT, {"BatteryLevel": 64.0}, txid=b"tx-1")), b"tx-1")
            assert await stored_records(gateway_runtime, car.id) == 1

    async def test_reliable_mode_withholds_the_ack_until_the_broker_has_the_record(
        self, connect: Connector, gateway_runtime: Runtime, pki: Pki, prefix: str, nats_messages: list[Msg]
    ) -> None:
        car = (await connect()).vehicle
        vin = car.external_id
        frame = v_frame(vin, MADE_AT, {"BatteryLevel": 64.0}, txid=b"tx-1")
        down = BrokerSettings(nats_url=_closed_port_url("nats"), prefix=prefix, reliable=True)
        async with receiving(gateway_runtime, pki, down) as running, streaming(pki, running.port, vin) as stream:
            await stream.connection.send(frame)
            await eventually(lambda: _records(gateway_runtime, "not_published"), what="the record not published")
            # Frames are answered in order: the first answer is the malformed frame's, so the record got none.
            reply = await stream.send(b"not a frame")
            assert isinstance(reply, StreamMessage)
            assert format_error_of(reply) is not None
            assert await stored_records(gateway_runtime, car.id) == 1

        up = BrokerSettings(nats_url=NATS_URL, prefix=prefix, reliable=True)
        async with receiving(gateway_runtime, pki, up) as running, streaming(pki, running.port, vin) as stream:
            # The car sends the record again; a duplicate for the database, published all the same.
            assert _acked(await stream.send(frame), b"tx-1")
            assert f"{prefix}.{vin}.V" in _by_subject(nats_messages)
        assert await stored_records(gateway_runtime, car.id) == 1


class TestMqttWithoutFieldTopics:
    async def test_a_record_is_one_message(
        self, prefix: str, metrics: Metrics, mqtt_messages: list[aiomqtt.Message]
    ) -> None:
        settings = BrokerSettings(mqtt_url=MQTT_URL, prefix=prefix, mqtt_field_topics=False, reliable=True)
        online = Connectivity(VIN, "stream-1", "CONNECTED", MADE_AT, "wifi")
        async with open_publisher(settings, metrics) as publisher:
            assert publisher is not None
            # Reliable: each publish returns once the broker has it, so the broker passes them on in this order.
            await publisher.publish(vehicle_data_record(VIN, _vehicle_data(BatteryLevel=80.5, Locked=True), [DEVICE]))
            await publisher.publish(connectivity_record(VIN, online, [DEVICE]))
            await eventually(
                lambda: [message.topic.value for message in mqtt_messages],
                until=lambda topics: f"{prefix}/{VIN}/connectivity" in topics,
                what="the connectivity record after the vehicle data",
            )
        assert [message.topic.value for message in mqtt_messages] == [
            f"{prefix}/{VIN}/v",
            f"{prefix}/{VIN}/connectivity",
        ]


class TestRecordTheBrokerRefuses:
    async def test_it_is_dropped_and_counted_and_the_next_goes_on(
        self, prefix: str, metrics: Metrics, nats_messages: list[Msg]
    ) -> None:
        # Over the NATS server's max_payload (1 MB by default).
        huge = vehicle_data_record(VIN, _vehicle_data(VehicleName="x" * 2_000_000), [DEVICE])
        async with open_publisher(BrokerSettings(nats_url=NATS_URL, prefix=prefix), metrics) as publisher:
            assert publisher is not None
            await publisher.publish(huge)
            await publisher.publish(vehicle_data_record(VIN, _vehicle_data(BatteryLevel=1.0), [DEVICE]))
            await _arrived(nats_messages, 1, "the record after the one refused")
        assert [json.loads(message.data)["fields"] for message in nats_messages] == [{"BatteryLevel": 1.0}]
        assert _sample(metrics, "dropped", broker="nats") == 1

    async def test_in_reliable_mode_it_is_acked_all_the_same(self, prefix: str, metrics: Metrics) -> None:
        _reachable(NATS_URL)
        huge = vehicle_data_record(VIN, _vehicle_data(VehicleName="x" * 2_000_000), [DEVICE])
        async with open_publisher(
            BrokerSettings(nats_url=NATS_URL, prefix=prefix, reliable=True), metrics
        ) as publisher:
            assert publisher is not None
            await publisher.publish(huge)  # no BrokerUnavailable: the car would send it again forever
        assert _sample(metrics, "dropped", broker="nats") == 1


class TestFleetgateTelemetry:
    async def test_the_process_publishes_as_its_settings_say(
        self,
        connect: Connector,
        gateway_settings: Settings,
        tmp_path: Path,
        pki: Pki,
        prefix: str,
        nats_messages: list[Msg],
    ) -> None:
        car = (await connect()).vehicle
        cert, key, vehicle_ca = pki.server_tls_files()
        port = free_port()
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "FLEETGATE_MODE": "dev",
            "FLEETGATE_DATABASE_URL": gateway_settings.database_url,
            "FLEETGATE_TELEMETRY_CERT_PATH": str(cert),
            "FLEETGATE_TELEMETRY_KEY_PATH": str(key),
            "FLEETGATE_TELEMETRY_VEHICLE_CA_PATH": str(vehicle_ca),
            "FLEETGATE_TELEMETRY_NATS_URL": NATS_URL,
            "FLEETGATE_TELEMETRY_BROKER_PREFIX": prefix,
        }
        command = [sys.executable, "-m", "fleetgate", "telemetry", "--host", HOST, "--port", str(port)]
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:

            async def acked() -> bool:
                assert process.poll() is None, "the receiver exited"
                try:
                    async with streaming(pki, port, car.external_id) as stream:
                        frame = v_frame(car.external_id, MADE_AT, {"BatteryLevel": 42.0}, txid=b"tx-1")
                        return _acked(await stream.send(frame), b"tx-1")
                except OSError:
                    return False

            assert await eventually(acked, what="the record acked by fleetgate telemetry")
            await eventually(
                lambda: [message.subject for message in nats_messages],
                until=lambda subjects: f"{prefix}.{car.external_id}.V" in subjects,
                what="the record on NATS",
            )
        finally:
            process.terminate()
            output, _ = process.communicate(timeout=30)
        assert "telemetry records published to nats (buffered)" in output
        assert process.returncode == 0, output
