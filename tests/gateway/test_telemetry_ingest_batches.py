"""Records of many cars stored in one transaction (`ingest`), and the queue that makes the batches out of every
socket's records (`ingest_queue`): each record's outcome is its own, whatever else its batch holds."""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fleetgate.features.telemetry.ingest import (
    CONNECTED,
    DISCONNECTED,
    Incoming,
    Outcome,
    ingest,
)
from fleetgate.features.telemetry.ingest_queue import IngestQueue, running_queue
from fleetgate.features.telemetry.server import running_receiver, vehicle_tls
from fleetgate.infra.models import DeviceState, Event, TelemetryConnectivity, TelemetryRecord
from fleetgate.infra.runtime import Runtime
from fleetgate.protocol.telemetry.envelope import StreamAck
from fleetgate.protocol.telemetry.records import (
    Alert,
    Connectivity,
    TelemetryValue,
    VehicleAlerts,
    VehicleData,
    VehicleError,
    VehicleErrors,
)
from tests.gateway.flows import Connector
from tests.gateway.telemetry_cars import HOST, Car, Pki, streaming, v_frame

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
T1, T2 = T0 + timedelta(seconds=1), T0 + timedelta(seconds=2)
UNKNOWN_VIN = "5YJ3E1EA0KF000000"


def v(vin: str, at: datetime, **data: TelemetryValue) -> Incoming:
    return Incoming(vin, VehicleData(vin, at, False, data))


async def state(runtime: Runtime, device_id: str) -> DeviceState:
    async with runtime.sessionmaker() as session:
        found = await session.get(DeviceState, device_id)
    assert found is not None
    return found


async def count(runtime: Runtime, model: type[TelemetryRecord] | type[Event], device_id: str) -> int:
    async with runtime.sessionmaker() as session:
        if model is TelemetryRecord:
            query = select(func.count()).where(TelemetryRecord.device_id == device_id)
        else:
            query = select(func.count()).where(Event.data["device_id"].as_string() == device_id)
        return int(await session.scalar(query) or 0)


class TestOneTransaction:
    async def test_each_record_has_its_own_outcome_and_each_car_its_own_state(
        self, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        linked = await connect(vehicles=[{}, {}, {}])
        a, b, c = linked.account.vins
        alert = Alert("ChargePortFault", ("service",), T0, None)
        batch = [
            v(a, T0, BatteryLevel=50.0, DetailedChargeState="DetailedChargeStateCharging"),
            v(a, T2, BatteryLevel=60.0, DetailedChargeState="DetailedChargeStateComplete"),
            v(a, T0, BatteryLevel=50.0, DetailedChargeState="DetailedChargeStateCharging"),  # a resend, same batch
            v(b, T1, BatteryLevel=70.0),
            Incoming(c, VehicleAlerts(c, T1, (alert,))),
            v(UNKNOWN_VIN, T1, BatteryLevel=10.0),
        ]
        outcomes = [ingested.outcome for ingested in await ingest(gateway_runtime, batch)]
        assert outcomes == [
            Outcome.STORED,
            Outcome.STORED,
            Outcome.DUPLICATE,
            Outcome.STORED,
            Outcome.STORED,
            Outcome.UNKNOWN_VEHICLE,
        ]

        first = await state(gateway_runtime, linked.device_id(a))
        assert first.data["battery_level_pct"] == 60.0
        assert first.data["charging_state"] == "complete"
        assert first.fetched_at == T2
        assert first.streamed
        assert (await state(gateway_runtime, linked.device_id(b))).data["battery_level_pct"] == 70.0
        assert await count(gateway_runtime, TelemetryRecord, linked.device_id(a)) == 2
        # Charging → complete is a change; the first value is not. The alert is an event of the third car.
        assert await count(gateway_runtime, Event, linked.device_id(a)) == 1
        assert await count(gateway_runtime, Event, linked.device_id(c)) == 1

        again = await ingest(gateway_runtime, batch[:2])
        assert [ingested.outcome for ingested in again] == [Outcome.DUPLICATE, Outcome.DUPLICATE]

    async def test_a_car_s_records_merge_in_the_order_it_made_them_whatever_the_batch_s_order(
        self, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        car = (await connect()).vehicle
        await ingest(gateway_runtime, [v(car.external_id, T2, BatteryLevel=62.0), v(car.external_id, T1, Odometer=1.0)])
        stored = await state(gateway_runtime, car.id)
        assert stored.data["battery_level_pct"] == 62.0
        await ingest(gateway_runtime, [v(car.external_id, T1, BatteryLevel=61.0)])
        assert (await state(gateway_runtime, car.id)).data["battery_level_pct"] == 62.0

    async def test_a_stream_opened_and_closed_within_a_batch_ends_closed_and_an_old_close_keeps_the_new_stream(
        self, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        car = (await connect()).vehicle
        vin = car.external_id

        def change(stream: str, status: str, at: datetime) -> Incoming:
            return Incoming(vin, Connectivity(vin, stream, status, at, "wifi"))

        await ingest(gateway_runtime, [change("tls_1", CONNECTED, T0), change("tls_1", DISCONNECTED, T1)])
        async with gateway_runtime.sessionmaker() as session:
            row = await session.get(TelemetryConnectivity, car.id)
            assert row is not None
            assert not row.connected

        outcomes = await ingest(
            gateway_runtime,
            [change("tls_2", CONNECTED, T1), change("tls_3", CONNECTED, T2), change("tls_2", DISCONNECTED, T2)],
        )
        assert {ingested.outcome for ingested in outcomes} == {Outcome.STORED}
        async with gateway_runtime.sessionmaker() as session:
            row = await session.get(TelemetryConnectivity, car.id)
            assert row is not None
            assert row.connected
            assert row.stream_id == "tls_3"


class TestQueue:
    async def test_records_that_come_in_together_share_a_transaction(
        self, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        linked = await connect(vehicles=[{}, {}])
        vins = linked.account.vins
        items = [v(vins[index % 2], T0 + timedelta(seconds=index), BatteryLevel=float(index)) for index in range(40)]
        async with running_queue(gateway_runtime) as queue:
            outcomes = await asyncio.gather(*(queue.store(item) for item in items))
        assert {ingested.outcome for ingested in outcomes} == {Outcome.STORED}
        registry = gateway_runtime.metrics.registry
        transactions = registry.get_sample_value("fleetgate_telemetry_batch_records_count") or 0.0
        assert registry.get_sample_value("fleetgate_telemetry_batch_records_sum") == 40
        assert 1 <= transactions <= 2
        assert (await state(gateway_runtime, linked.device_id(vins[1]))).data["battery_level_pct"] == 39.0

    async def test_a_record_the_database_will_not_take_fails_alone(
        self, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        car = (await connect()).vehicle
        vin = car.external_id
        # A moment with no time zone: the database layer refuses it (`UTCDateTime`).
        naive = datetime(2026, 12, 6, 12, 0)  # noqa: DTZ001 - the point of the test
        bad = Incoming(vin, VehicleErrors(vin, naive, (VehicleError("x", None, {}, ""),)))
        good = [v(vin, T0 + timedelta(seconds=index), BatteryLevel=float(index)) for index in range(5)]
        async with running_queue(gateway_runtime) as queue:
            results = await asyncio.gather(*(queue.store(item) for item in [*good, bad]), return_exceptions=True)
        assert [getattr(result, "outcome", None) for result in results[:5]] == [Outcome.STORED] * 5
        assert isinstance(results[5], Exception)
        assert await count(gateway_runtime, TelemetryRecord, car.id) == 5

    async def test_a_record_still_waiting_when_the_receiver_stops_fails_rather_than_waits_forever(
        self, gateway_runtime: Runtime
    ) -> None:
        queue = IngestQueue(gateway_runtime)  # not running: nothing takes the record
        waiting = asyncio.ensure_future(queue.store(v(UNKNOWN_VIN, T0, BatteryLevel=1.0)))
        await asyncio.sleep(0)
        queue.abandon()
        with pytest.raises(ConnectionError):
            await waiting


class TestTwoReceivers:
    async def test_cars_sending_the_same_records_to_two_receivers_at_once_store_each_once(
        self, connect: Connector, gateway_runtime: Runtime, tmp_path: Path
    ) -> None:
        """A car that reconnected through the load balancer while its old socket lingers: both receivers' batches
        lock the same rows, and wait for each other instead of deadlocking."""
        linked = await connect(vehicles=[{} for _ in range(6)])
        vins = linked.account.vins
        pki = Pki.create(tmp_path)
        tls = vehicle_tls(*pki.server_tls_files())
        async with (
            running_receiver(gateway_runtime, tls, host=HOST, port=0) as first,
            running_receiver(gateway_runtime, tls, host=HOST, port=0) as second,
            AsyncExitStack() as sockets,
        ):
            cars = [
                (
                    vin,
                    [
                        await sockets.enter_async_context(streaming(pki, running.port, vin))
                        for running in (first, second)
                    ],
                )
                for vin in vins
            ]

            async def send_all(vin: str, car: Car, order: range) -> list[bool]:
                acked = []
                for index in order:
                    made_at = T0 + timedelta(seconds=index)
                    frame = v_frame(vin, made_at, {"BatteryLevel": float(index)}, txid=f"tx-{index}".encode())
                    acked.append(isinstance(await car.send(frame), StreamAck))
                return acked

            # One socket sends the records oldest first, the other newest first.
            results = await asyncio.gather(
                *(
                    send_all(vin, socket, order)
                    for vin, pair in cars
                    for socket, order in zip(pair, ORDERS, strict=True)
                )
            )
        assert all(all(acked) for acked in results)
        for vin in vins:
            device_id = linked.device_id(vin)
            assert await count(gateway_runtime, TelemetryRecord, device_id) == RECORDS_A_CAR
            assert (await state(gateway_runtime, device_id)).data["battery_level_pct"] == float(RECORDS_A_CAR - 1)
        stats = first.receiver.stats + second.receiver.stats
        assert stats["stored"] == len(vins) * RECORDS_A_CAR
        assert stats["duplicate"] == len(vins) * RECORDS_A_CAR
        assert stats["not_stored"] == 0


RECORDS_A_CAR = 20
ORDERS = (range(RECORDS_A_CAR), range(RECORDS_A_CAR - 1, -1, -1))
