"""The simulated cars that stream: each car with an active config (`configs.active_configs`) keeps a WebSocket to
that app's receiver and sends `V` records of the configured fields from its simulated state.

Time is the world's clock: a `tick` looks at every car at the simulated now, so a test advances the clock and
ticks, and the app's lifespan ticks every second (`streaming`). A car that is asleep or offline closes its sockets
and sends nothing; when it is online again it reconnects, and a receiver it cannot reach is tried again with a
back-off in simulated seconds. With `delivery_policy: latest` the car keeps each record until the receiver acks it
and sends it again (`is_resend`) after reconnecting or when the ack is long overdue; otherwise a record is sent
once. Every datum sent is billed to the app as a streaming signal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fleetgate.protocol.telemetry.envelope import StreamMessage, encode_stream
from fleetgate.protocol.telemetry.records import TOPIC_VEHICLE_DATA, TelemetryValue, encode_vehicle_data
from fleetgate.simulator.telemetry.configs import StoredConfig, active_configs
from fleetgate.simulator.telemetry.signals import signals_of
from fleetgate.simulator.telemetry.streamer_connection import CONNECT_ERRORS, ReceiverLink
from fleetgate.simulator.telemetry.streamer_schedule import FieldSchedule
from fleetgate.simulator.vehicles.vehicle import Vehicle
from fleetgate.simulator.world import World

logger = logging.getLogger(__name__)

TICK_SECONDS = 1.0
RESEND_AFTER_SECONDS = 60.0
FIRST_RETRY_SECONDS = 5.0
MAX_RETRY_SECONDS = 300.0
DEVICE_TYPE = b"vehicle_device"
RESENDING_POLICY = "latest"


@dataclass(slots=True)
class Record:
    txid: bytes
    created_at: float
    data: dict[str, TelemetryValue]
    sent_at: float


class CarStream:
    """One car streaming to one app's receiver, as long as that app's config stays the same."""

    def __init__(self, vin: str, config: StoredConfig) -> None:
        self.vin = vin
        self.config = config
        self.schedule = FieldSchedule(dict(config.fields))
        self.unacked: dict[bytes, Record] = {}
        self.acked: list[bytes] = []
        self.refused: list[tuple[bytes, str]] = []
        self.failures = 0
        self.retry_at = 0.0
        self._link: ReceiverLink | None = None

    @property
    def connected(self) -> bool:
        return self._link is not None and self._link.open_now

    @property
    def keeps_unacked(self) -> bool:
        return self.config.delivery_policy == RESENDING_POLICY

    async def step(self, world: World, car: Vehicle, now: float) -> None:
        if not car.is_online(now):
            await self.close()
            return
        if not self.connected:
            await self.close()
            if now < self.retry_at or not await self._connect(world, car, now):
                return
            await self._resend(world, now, overdue_only=False)
        due = self.schedule.due(now, signals_of(car, set(self.config.fields)))
        if due:
            await self._send(world, Record(_new_txid(), now, due, now), is_resend=False)
        if self.keeps_unacked:
            await self._resend(world, now, overdue_only=True)

    async def close(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            await link.close()

    async def _connect(self, world: World, car: Vehicle, now: float) -> bool:
        try:
            self._link = await ReceiverLink.open(
                hostname=self.config.hostname,
                port=self.config.port,
                context=world.car_certificates.client_context(self.vin, self.config.ca),
                firmware=car.firmware,
                on_ack=self._acked,
                on_reply_error=self._refused,
            )
        except CONNECT_ERRORS as error:
            self.failures += 1
            delay = min(FIRST_RETRY_SECONDS * 2 ** (self.failures - 1), MAX_RETRY_SECONDS)
            self.retry_at = now + delay
            logger.info(
                "car %s cannot reach %s:%s (%s); again in %gs",
                self.vin,
                self.config.hostname,
                self.config.port,
                error,
                delay,
            )
            return False
        self.failures = 0
        return True

    async def _resend(self, world: World, now: float, *, overdue_only: bool) -> None:
        for record in list(self.unacked.values()):
            if overdue_only and now - record.sent_at < RESEND_AFTER_SECONDS:
                continue
            record.sent_at = now
            if not await self._send(world, record, is_resend=True):
                return

    async def _send(self, world: World, record: Record, *, is_resend: bool) -> bool:
        if self.keeps_unacked:
            self.unacked[record.txid] = record
        if self._link is None:
            return False
        created_at = datetime.fromtimestamp(record.created_at, UTC)
        payload = encode_vehicle_data(self.vin, created_at, record.data, is_resend=is_resend)
        frame = encode_stream(
            StreamMessage(
                txid=record.txid,
                topic=TOPIC_VEHICLE_DATA,
                message_id=record.txid,
                created_at=int(record.created_at),
                sender_id=DEVICE_TYPE + b"." + self.vin.encode(),
                device_type=DEVICE_TYPE,
                device_id=self.vin.encode(),
                payload=payload,
                delivered_at_epoch_ms=0,
            )
        )
        if not await self._link.send(frame):
            await self.close()
            return False
        world.usage.record_signals(client_id=self.config.client_id, device=self.vin, count=len(record.data))
        return True

    def _acked(self, txid: bytes) -> None:
        self.unacked.pop(txid, None)
        self.acked.append(txid)

    def _refused(self, txid: bytes, reason: str) -> None:
        # Sending a record the receiver cannot read again would only be refused again.
        self.unacked.pop(txid, None)
        self.refused.append((txid, reason))

    def view(self) -> dict[str, Any]:
        return {
            "vin": self.vin,
            "client_id": self.config.client_id,
            "receiver": f"{self.config.hostname}:{self.config.port}",
            "connected": self.connected,
            "unacked": len(self.unacked),
            "acked": len(self.acked),
            "refused": len(self.refused),
            "failures": self.failures,
            "retry_at": self.retry_at if self.failures else None,
        }


class Streamers:
    """Every streaming car of one world."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.streams: dict[tuple[str, str], CarStream] = {}

    async def tick(self) -> None:
        now = self.world.now()
        wanted: dict[tuple[str, str], tuple[Vehicle, StoredConfig]] = {}
        for vin, car in list(self.world.vehicles.items()):
            for config in active_configs(self.world, vin):
                wanted[(vin, config.client_id)] = (car, config)
        for key, stream in list(self.streams.items()):
            if key not in wanted or wanted[key][1] is not stream.config:
                del self.streams[key]
                await stream.close()
        steps = []
        for (vin, client_id), (car, config) in wanted.items():
            stream = self.streams.setdefault((vin, client_id), CarStream(vin, config))
            steps.append(stream.step(self.world, car, now))
        await asyncio.gather(*steps)

    def stream(self, vin: str, client_id: str) -> CarStream | None:
        return self.streams.get((vin, client_id))

    async def run(self, every: float = TICK_SECONDS) -> None:
        while True:
            try:
                await self.tick()
            except Exception:
                # One bad pass must not end every car's stream.
                logger.exception("telemetry streaming pass failed")
            await asyncio.sleep(every)

    async def close(self) -> None:
        streams, self.streams = list(self.streams.values()), {}
        for stream in streams:
            await stream.close()


@contextlib.asynccontextmanager
async def streaming(world: World, every: float = TICK_SECONDS) -> AsyncIterator[Streamers]:
    """The world's cars streaming in the background, for an app's lifespan."""
    streamers = Streamers(world)
    task = asyncio.create_task(streamers.run(every), name="telemetry-streaming")
    try:
        yield streamers
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await streamers.close()


def _new_txid() -> bytes:
    return str(uuid.uuid4()).encode()
