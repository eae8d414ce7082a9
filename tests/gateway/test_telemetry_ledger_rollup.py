"""Streamed records past `telemetry_record_retention_days` are summed per device and hour (`jobs.retention`): the
usage report says the same before and after, and two processes rolling up at once count each record once."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update

from fleetgate.features.telemetry.ingest import Incoming, ingest
from fleetgate.infra.models import TelemetryRecord, TelemetrySignalHour
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.retention import prune
from fleetgate.protocol.telemetry.records import VehicleData
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector

NOW = datetime.now(UTC)
# Ten days ago, two hours of it: at 10:05 and 10:50 (one hour), and 11:30.
DAY = (NOW - timedelta(days=10)).replace(hour=10, minute=0, second=0, microsecond=0)
MOMENTS = itertools.count(1)
RECEIVED = [DAY + timedelta(minutes=5), DAY + timedelta(minutes=50), DAY + timedelta(minutes=90)]


async def streamed(runtime: Runtime, vin: str, received: list[datetime], *, fields: int = 3) -> None:
    """A record of `fields` signals per moment, then dated as received at that moment."""
    data: dict[str, Any] = {"BatteryLevel": 50.0, "Odometer": 1.0, "Locked": True}
    # Moments no other record of the test has: the rows are found by them.
    made = [NOW - timedelta(seconds=next(MOMENTS)) for _ in received]
    batch = [Incoming(vin, VehicleData(vin, at, False, dict(list(data.items())[:fields]))) for at in made]
    await ingest(runtime, batch)
    async with runtime.sessionmaker() as session, session.begin():
        for at, moment in zip(made, received, strict=True):
            await session.execute(
                update(TelemetryRecord).where(TelemetryRecord.created_at == at).values(received_at=moment)
            )


async def signals(api: httpx.AsyncClient, start: datetime, end: datetime) -> dict[str, Any]:
    response = await api.get("/v1/usage", params={"from": start.isoformat(), "to": end.isoformat()})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    devices = {
        device["device_id"]: device["counts"]["streaming_signals"] for device in body["by_connection"][0]["devices"]
    }
    return {"total": body["totals"]["streaming_signals"], "devices": devices}


async def rows(runtime: Runtime, model: type[TelemetryRecord] | type[TelemetrySignalHour]) -> int:
    async with runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


class TestRollUp:
    async def test_old_records_become_hours_and_the_usage_report_says_the_same(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=[{}, {}])
        first, second = linked.account.vins
        await streamed(gateway_runtime, first, RECEIVED)
        await streamed(gateway_runtime, second, RECEIVED[:1], fields=2)
        await streamed(gateway_runtime, second, [NOW - timedelta(hours=1)], fields=1)  # recent: kept as it is
        month = (DAY - timedelta(days=1), NOW)
        before = await signals(tenant.client, *month)
        assert before["total"] == 3 * 3 + 2 + 1

        pruned = await prune(gateway_runtime.sessionmaker, gateway_runtime.settings, NOW)

        assert pruned.telemetry_records == 4
        assert await rows(gateway_runtime, TelemetryRecord) == 1
        # The first car's two hours, the second car's one.
        assert await rows(gateway_runtime, TelemetrySignalHour) == 3
        assert await signals(tenant.client, *month) == before
        # Counted by the hour they were received in.
        assert (await signals(tenant.client, DAY, DAY + timedelta(hours=1)))["total"] == 3 + 3 + 2
        again = await prune(gateway_runtime.sessionmaker, gateway_runtime.settings, NOW)
        assert again.telemetry_records == 0

    async def test_an_hour_rolled_up_twice_adds_to_its_row(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        car = (await connect()).vehicle
        await streamed(gateway_runtime, car.external_id, RECEIVED[:1])
        await prune(gateway_runtime.sessionmaker, gateway_runtime.settings, NOW)
        await streamed(gateway_runtime, car.external_id, [RECEIVED[1]])  # a late one, for the same hour
        await prune(gateway_runtime.sessionmaker, gateway_runtime.settings, NOW)
        async with gateway_runtime.sessionmaker() as session:
            hours = list(await session.scalars(select(TelemetrySignalHour)))
        assert [(hour.hour, hour.records, hour.signals) for hour in hours] == [(DAY, 2, 6)]

    async def test_two_processes_rolling_up_at_once_count_each_record_once(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        linked = await connect(vehicles=[{}, {}, {}])
        for vin in linked.account.vins:
            await streamed(gateway_runtime, vin, [DAY + timedelta(seconds=index) for index in range(40)])
        settings = gateway_runtime.settings
        await asyncio.gather(*(prune(gateway_runtime.sessionmaker, settings, NOW) for _ in range(3)))
        assert await rows(gateway_runtime, TelemetryRecord) == 0
        assert (await signals(tenant.client, DAY, NOW))["total"] == 3 * 40 * 3

    async def test_hours_past_the_usage_retention_go(self, connect: Connector, gateway_runtime: Runtime) -> None:
        car = (await connect()).vehicle
        long_ago = NOW - timedelta(days=gateway_runtime.settings.usage_retention_days + 2)
        await streamed(gateway_runtime, car.external_id, [long_ago])
        pruned = await prune(gateway_runtime.sessionmaker, gateway_runtime.settings, NOW)
        assert (pruned.telemetry_records, pruned.telemetry_signal_hours) == (1, 1)
        assert await rows(gateway_runtime, TelemetrySignalHour) == 0
