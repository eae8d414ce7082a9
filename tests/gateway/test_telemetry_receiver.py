"""The telemetry receiver over a real socket: mutual TLS, WebSocket frames, and what the gateway then answers."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from websockets import ConnectionClosed, InvalidHandshake

from fleetgate.features.telemetry.server import RunningReceiver, running_receiver, vehicle_tls
from fleetgate.infra.models import DeviceState, TelemetryConnectivity, TelemetryRecord
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.retention import prune
from fleetgate.protocol.telemetry.certificates import CertificateAuthority
from fleetgate.protocol.telemetry.envelope import (
    INCORRECT_MESSAGE_FORMAT,
    StreamAck,
    StreamMessage,
    format_error_of,
)
from fleetgate.protocol.telemetry.records import Alert, Location, VehicleAlerts, encode_alerts
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.telemetry_cars import HOST, Pki, stream_frame, streaming, v_frame
from tests.support.polling import eventually

# In the past: a record dated ahead of the receiver's clock counts as made when it arrives.
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)


@pytest.fixture
def pki(tmp_path: Path) -> Pki:
    return Pki.create(tmp_path)


@pytest.fixture
async def receiver(gateway_runtime: Runtime, pki: Pki) -> AsyncIterator[RunningReceiver]:
    tls = vehicle_tls(*pki.server_tls_files())
    async with running_receiver(gateway_runtime, tls, host=HOST, port=0) as running:
        yield running


async def stored_state(runtime: Runtime, device_id: str) -> DeviceState | None:
    async with runtime.sessionmaker() as session:
        return await session.get(DeviceState, device_id)


async def records(runtime: Runtime, device_id: str) -> list[TelemetryRecord]:
    async with runtime.sessionmaker() as session:
        return list(await session.scalars(select(TelemetryRecord).where(TelemetryRecord.device_id == device_id)))


async def sim_data_calls(sim: httpx.AsyncClient, client_id: str) -> int:
    report = (await sim.get("/sim/usage")).json()
    totals: dict[str, int] = report["clients"].get(client_id, {}).get("totals", {})
    return totals.get("data", 0)


async def state_of(api: httpx.AsyncClient, device_id: str, **params: Any) -> dict[str, Any]:
    response = await api.get(f"/v1/devices/{device_id}/state", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def acks(reply: StreamMessage | StreamAck, txid: bytes) -> bool:
    return isinstance(reply, StreamAck) and (reply.txid, reply.topic, reply.message_id) == (txid, b"V", b"m-" + txid)


class TestStoreThenAck:
    async def test_the_ack_comes_once_the_record_is_stored_and_the_state_answers_from_it(
        self,
        connect: Connector,
        receiver: RunningReceiver,
        pki: Pki,
        gateway_runtime: Runtime,
        api: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        tesla_app: dict[str, Any],
    ) -> None:
        linked = await connect()
        car = linked.vehicle
        data = {
            "BatteryLevel": 81.5,
            "RatedRange": 200.0,
            "DetailedChargeState": "DetailedChargeStateCharging",
            "Location": Location(latitude=37.39, longitude=-122.15),
            "GpsHeading": 270.0,
        }
        async with streaming(pki, receiver.port, car.external_id) as stream:
            reply = await stream.send(v_frame(car.external_id, NOW, data, txid=b"tx-1"))
            assert acks(reply, b"tx-1")
            # Read at once, without waiting: the ack was sent after the commit.
            state = await stored_state(gateway_runtime, car.id)
            assert state is not None
            assert state.data["battery_level_pct"] == 81.5

            body = await state_of(api, car.id)
        assert body["source"] == "telemetry"
        assert body["data"]["battery_level_pct"] == 81.5
        assert body["data"]["battery_range_km"] == 321.87
        assert body["data"]["charging_state"] == "charging"
        assert body["data"]["plugged_in"] is True
        assert body["data"]["location"] == {"latitude": 37.39, "longitude": -122.15, "heading_deg": 270.0}
        assert body["online_state"] == "online"
        measured = NOW.isoformat().replace("+00:00", "Z")
        assert body["field_times"]["battery_level_pct"] == measured
        assert body["field_times"]["location.heading_deg"] == measured
        # No call to Tesla's vehicle_data, as the simulator counts them.
        assert await sim_data_calls(sim, tesla_app["client_id"]) == 0

    async def test_an_open_stream_serves_a_state_older_than_max_age(
        self,
        connect: Connector,
        receiver: RunningReceiver,
        pki: Pki,
        api: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        tesla_app: dict[str, Any],
    ) -> None:
        car = (await connect()).vehicle
        an_hour_ago = NOW - timedelta(hours=1)
        async with streaming(pki, receiver.port, car.external_id) as stream:
            assert acks(await stream.send(v_frame(car.external_id, an_hour_ago, {"Locked": True})), b"tx")
            body = await state_of(api, car.id, max_age=60)
        assert body["source"] == "telemetry"
        assert body["data"]["locked"] is True
        assert body["age_seconds"] >= 3600
        assert await sim_data_calls(sim, tesla_app["client_id"]) == 0

    async def test_the_vin_is_the_certificates_not_the_payloads(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki, gateway_runtime: Runtime
    ) -> None:
        linked = await connect(vehicles=[{}, {}])
        certified, claimed = linked.account.vins
        async with streaming(pki, receiver.port, certified) as stream:
            reply = await stream.send(v_frame(claimed, NOW, {"BatteryLevel": 12.0}))
        assert isinstance(reply, StreamAck)
        state = await stored_state(gateway_runtime, linked.device_id(certified))
        assert state is not None
        assert state.data["battery_level_pct"] == 12.0
        assert await stored_state(gateway_runtime, linked.device_id(claimed)) is None


class TestResends:
    async def test_a_resend_changes_nothing_is_acked_and_its_signals_count_once(
        self,
        connect: Connector,
        receiver: RunningReceiver,
        pki: Pki,
        gateway_runtime: Runtime,
        tenant: Tenant,
    ) -> None:
        car = (await connect()).vehicle
        first = {"BatteryLevel": 50.0, "InsideTemp": 21.5, "Locked": False}
        async with streaming(pki, receiver.port, car.external_id) as stream:
            assert acks(await stream.send(v_frame(car.external_id, NOW, first, txid=b"tx-1")), b"tx-1")
            later = NOW + timedelta(seconds=30)
            assert acks(
                await stream.send(v_frame(car.external_id, later, {"BatteryLevel": 51.0}, txid=b"tx-2")), b"tx-2"
            )
            before = await stored_state(gateway_runtime, car.id)
            # The first record again, as a car that missed its ack sends it: marked a resend, under a new txid.
            resend = v_frame(car.external_id, NOW, first, txid=b"tx-3", is_resend=True)
            assert acks(await stream.send(resend), b"tx-3")
        after = await stored_state(gateway_runtime, car.id)
        assert before is not None
        assert after is not None
        assert (after.data, after.field_times, after.fetched_at) == (before.data, before.field_times, before.fetched_at)
        assert after.data["battery_level_pct"] == 51.0
        assert sorted(record.signals for record in await records(gateway_runtime, car.id)) == [1, 3]
        assert receiver.receiver.stats["duplicate"] == 1
        registry = gateway_runtime.metrics.registry
        assert registry.get_sample_value("fleetgate_telemetry_records_total", {"outcome": "duplicate"}) == 1
        assert registry.get_sample_value("fleetgate_telemetry_signals_total") == 4

        usage = (await tenant.client.get("/v1/usage")).json()
        assert usage["totals"]["streaming_signals"] == 4
        assert usage["calls_per_usd"]["streaming_signals"] == 150_000
        assert usage["estimated_cost_usd"]["streaming_signals"] == round(4 / 150_000, 6)
        [connection] = usage["by_connection"]
        [device] = [item for item in connection["devices"] if item["device_id"] == car.id]
        assert device["counts"]["streaming_signals"] == 4


class TestEvents:
    async def test_a_change_of_charging_state_is_an_event(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki, api: httpx.AsyncClient
    ) -> None:
        car = (await connect()).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            plugged = {"DetailedChargeState": "DetailedChargeStateStopped"}
            await stream.send(v_frame(car.external_id, NOW, plugged, txid=b"tx-1"))
            charging = {"DetailedChargeState": "DetailedChargeStateCharging", "BatteryLevel": 60.0}
            await stream.send(v_frame(car.external_id, NOW + timedelta(seconds=5), charging, txid=b"tx-2"))
            # The same state again is no change.
            await stream.send(v_frame(car.external_id, NOW + timedelta(seconds=9), charging, txid=b"tx-3"))
        events = (await api.get("/v1/events", params={"type": "vehicle.charging_state_changed"})).json()["data"]
        assert [event["data"] for event in events] == [
            {
                "device_id": car.id,
                "field": "charging_state",
                "value": "charging",
                "previous": "stopped",
                "measured_at": (NOW + timedelta(seconds=5)).isoformat().replace("+00:00", "Z"),
                "source": "telemetry",
            }
        ]


class TestRefusals:
    async def test_a_malformed_frame_gets_the_error_frame_and_the_socket_keeps_serving(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki
    ) -> None:
        car = (await connect()).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            reply = await stream.send(b"\x00not a flatbuffer")
            assert isinstance(reply, StreamMessage)
            error = format_error_of(reply)
            assert error is not None
            assert error.reason == INCORRECT_MESSAGE_FORMAT
            # A good envelope around a record that is not a protobuf Payload: the error names its txid.
            reply = await stream.send(stream_frame(car.external_id, b"V", b"\xff\xff\xff", txid=b"tx-bad"))
            assert isinstance(reply, StreamMessage)
            error = format_error_of(reply)
            assert error is not None
            assert (error.txid, error.reason) == (b"tx-bad", INCORRECT_MESSAGE_FORMAT)
            assert acks(await stream.send(v_frame(car.external_id, NOW, {"Locked": True})), b"tx")
        assert receiver.receiver.stats["malformed"] == 2

    async def test_an_unknown_topic_and_an_unknown_car_are_acked(
        self, receiver: RunningReceiver, pki: Pki, gateway_runtime: Runtime
    ) -> None:
        stranger = "5YJ3E1EA0NF000001"
        async with streaming(pki, receiver.port, stranger) as stream:
            reply = await stream.send(stream_frame(stranger, b"future_topic", b"anything", txid=b"tx-1"))
            assert isinstance(reply, StreamAck)
            assert reply.topic == b"future_topic"
            reply = await stream.send(v_frame(stranger, NOW, {"BatteryLevel": 10.0}, txid=b"tx-2"))
            assert isinstance(reply, StreamAck)
        assert receiver.receiver.stats["unknown_vehicle"] == 1
        registry = gateway_runtime.metrics.registry
        assert registry.get_sample_value("fleetgate_telemetry_records_total", {"outcome": "unknown_vehicle"}) == 1
        async with gateway_runtime.sessionmaker() as session:
            assert list(await session.scalars(select(TelemetryRecord))) == []

    async def test_a_text_frame_closes_the_socket(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki
    ) -> None:
        car = (await connect()).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            await stream.connection.send("hello")
            with pytest.raises(ConnectionClosed) as closed:
                await stream.connection.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1003

    async def test_a_frame_over_a_megabyte_closes_the_socket(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki
    ) -> None:
        car = (await connect()).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            await stream.connection.send(b"\x00" * (1024 * 1024 + 1))
            with pytest.raises(ConnectionClosed) as closed:
                await stream.connection.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009

    async def test_a_certificate_from_another_ca_is_refused_at_the_handshake(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki
    ) -> None:
        car = (await connect()).vehicle
        impostor = CertificateAuthority.create("Not Tesla")
        with pytest.raises((ssl.SSLError, ConnectionError, InvalidHandshake, ConnectionClosed, EOFError)):
            async with streaming(pki, receiver.port, car.external_id, issuer=impostor) as stream:
                await stream.send(v_frame(car.external_id, NOW, {"Locked": True}))
        assert receiver.receiver.stats["frames"] == 0


class TestServer:
    async def test_status_answers_mtls_ok(self, receiver: RunningReceiver, pki: Pki) -> None:
        async with httpx.AsyncClient(verify=pki.car_tls("5YJ3E1EA0NF000002")) as client:
            response = await client.get(f"https://{HOST}:{receiver.port}/status")
        assert (response.status_code, response.text) == (200, "mtls ok")

    async def test_connectivity_is_recorded(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki, gateway_runtime: Runtime
    ) -> None:
        car = (await connect()).vehicle

        async def connectivity() -> TelemetryConnectivity | None:
            async with gateway_runtime.sessionmaker() as session:
                return await session.get(TelemetryConnectivity, car.id)

        async with streaming(pki, receiver.port, car.external_id):
            opened = await eventually(connectivity, until=lambda row: row is not None and row.connected, what="open")
            assert opened is not None
            assert opened.network_interface == "wifi"
        await eventually(connectivity, until=lambda row: row is not None and not row.connected, what="closed")


class TestStreamAndPolls:
    async def test_the_newer_wins_field_by_field(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki, api: httpx.AsyncClient
    ) -> None:
        car = (await connect()).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            an_hour_ago = NOW - timedelta(hours=1)
            await stream.send(v_frame(car.external_id, an_hour_ago, {"BatteryLevel": 10.0}, txid=b"tx-1"))
            # max_age 0 asks Tesla even while the car streams: the poll is newer than the streamed level.
            polled = await state_of(api, car.id, max_age=0)
            assert polled["source"] == "live"
            assert polled["data"]["battery_level_pct"] != 10.0
            assert (await state_of(api, car.id))["field_times"] == {}

            later = datetime.now(UTC) + timedelta(seconds=1)
            await stream.send(v_frame(car.external_id, later, {"BatteryLevel": 33.0}, txid=b"tx-2"))
            streamed = await state_of(api, car.id)
        assert streamed["source"] == "telemetry"
        assert streamed["data"]["battery_level_pct"] == 33.0
        assert streamed["data"]["locked"] == polled["data"]["locked"]
        assert list(streamed["field_times"]) == ["battery_level_pct"]

    async def test_a_car_clock_ahead_of_ours_does_not_outlive_the_next_poll(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki, api: httpx.AsyncClient
    ) -> None:
        car = (await connect()).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            tomorrow = datetime.now(UTC) + timedelta(days=1)
            await stream.send(v_frame(car.external_id, tomorrow, {"BatteryLevel": 1.0}))
            polled = await state_of(api, car.id, max_age=0)
            assert polled["data"]["battery_level_pct"] != 1.0
            assert (await state_of(api, car.id))["data"]["battery_level_pct"] == polled["data"]["battery_level_pct"]

    async def test_a_stream_the_receiver_no_longer_vouches_for_is_not_trusted(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki, api: httpx.AsyncClient, gateway_runtime: Runtime
    ) -> None:
        car = (await connect()).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            await stream.send(v_frame(car.external_id, NOW - timedelta(hours=1), {"Locked": True}))
            async with gateway_runtime.sessionmaker() as session, session.begin():
                # As if the receiver that holds the stream had died ten minutes ago.
                await session.execute(
                    update(TelemetryConnectivity)
                    .where(TelemetryConnectivity.device_id == car.id)
                    .values(seen_at=datetime.now(UTC) - timedelta(minutes=10))
                )
            body = await state_of(api, car.id, max_age=60)
        assert body["source"] == "live"


class TestRetention:
    async def test_records_past_the_usage_retention_go(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki, gateway_runtime: Runtime
    ) -> None:
        car = (await connect()).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            await stream.send(v_frame(car.external_id, NOW, {"Locked": True}, txid=b"tx-1"))
            await stream.send(v_frame(car.external_id, NOW + timedelta(seconds=1), {"Locked": False}, txid=b"tx-2"))
        async with gateway_runtime.sessionmaker() as session, session.begin():
            first = await session.scalar(select(TelemetryRecord.id).order_by(TelemetryRecord.created_at).limit(1))
            long_ago = datetime.now(UTC) - timedelta(days=gateway_runtime.settings.usage_retention_days + 1)
            await session.execute(
                update(TelemetryRecord).where(TelemetryRecord.id == first).values(received_at=long_ago)
            )

        pruned = await prune(gateway_runtime.sessionmaker, gateway_runtime.settings, datetime.now(UTC))

        assert pruned.telemetry_records == 1
        assert [record.signals for record in await records(gateway_runtime, car.id)] == [1]


class TestLocation:
    async def test_a_move_is_an_event_where_the_location_may_be_read(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki, api: httpx.AsyncClient
    ) -> None:
        car = (await connect()).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            here = {"Location": Location(latitude=37.39, longitude=-122.15)}
            await stream.send(v_frame(car.external_id, NOW, here, txid=b"tx-1"))
            there = {"Location": Location(latitude=37.40, longitude=-122.15)}
            await stream.send(v_frame(car.external_id, NOW + timedelta(seconds=60), there, txid=b"tx-2"))
        events = (await api.get("/v1/events", params={"type": "vehicle.location_changed"})).json()["data"]
        assert [(event["data"]["previous"]["latitude"], event["data"]["value"]["latitude"]) for event in events] == [
            (37.39, 37.40)
        ]

    async def test_without_the_location_scope_the_location_is_not_kept(
        self,
        connect: Connector,
        receiver: RunningReceiver,
        pki: Pki,
        api: httpx.AsyncClient,
        gateway_runtime: Runtime,
    ) -> None:
        car = (await connect(grant=["vehicle_data"])).vehicle
        async with streaming(pki, receiver.port, car.external_id) as stream:
            data = {"Location": Location(latitude=37.39, longitude=-122.15), "GpsHeading": 90.0, "BatteryLevel": 70.0}
            await stream.send(v_frame(car.external_id, NOW, data, txid=b"tx-1"))
            moved = {"Location": Location(latitude=37.40, longitude=-122.15), "BatteryLevel": 70.0}
            await stream.send(v_frame(car.external_id, NOW + timedelta(seconds=60), moved, txid=b"tx-2"))
            body = await state_of(api, car.id)
        state = await stored_state(gateway_runtime, car.id)
        assert state is not None
        assert "location" not in state.data
        assert "location" not in body["data"]
        assert body["data"]["battery_level_pct"] == 70.0
        events = (await api.get("/v1/events", params={"type": "vehicle.location_changed"})).json()["data"]
        assert events == []


class TestAlerts:
    async def test_alerts_are_acked_counted_once_and_become_events(
        self, connect: Connector, receiver: RunningReceiver, pki: Pki, tenant: Tenant
    ) -> None:
        car = (await connect()).vehicle
        alerts = VehicleAlerts(
            vin=car.external_id,
            created_at=NOW,
            alerts=(
                Alert(name="ChargePortFault", audiences=("Customer",), started_at=NOW, ended_at=None),
                Alert(name="TirePressureLow", audiences=("Customer", "Service"), started_at=NOW, ended_at=None),
            ),
        )
        frame = stream_frame(car.external_id, b"alerts", encode_alerts(alerts), txid=b"tx-1")
        async with streaming(pki, receiver.port, car.external_id) as stream:
            for _ in range(2):
                reply = await stream.send(frame)
                assert isinstance(reply, StreamAck)
                assert reply.topic == b"alerts"
        usage = (await tenant.client.get("/v1/usage")).json()
        assert usage["totals"]["streaming_signals"] == 2
        found = await tenant.client.get("/v1/events", params={"type": "vehicle.alert", "order": "oldest_first"})
        events = found.json()["data"]
        assert [(event["data"]["name"], event["data"]["audiences"]) for event in events] == [
            ("ChargePortFault", ["Customer"]),
            ("TirePressureLow", ["Customer", "Service"]),
        ]
        assert {event["data"]["device_id"] for event in events} == {car.id}
