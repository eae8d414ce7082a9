"""Publishing decoded records to the configured brokers, in one of two modes.

- Buffered (the default): the database is the source of truth, so a broker never holds up a car. `publish` puts
  the record in a bounded buffer and returns; a task sends the buffer in order, in batches, and when the broker
  does not confirm it keeps the batch, waits (0.1 s, doubling up to 10 s) and tries again, connecting anew. While
  the broker is down the buffer fills; once full, each new record drops the oldest one, counted in
  `fleetgate_telemetry_broker_dropped`, as is what is still unsent when the receiver stops (after one last try of
  at most a few seconds). A record can arrive twice (a batch tried again after a partial send): consumers deduplicate
  by VIN, topic and `created_at`. A record the broker will never take (over its size limit) is dropped and counted,
  so that it does not hold up the others.
- Reliable (`FLEETGATE_TELEMETRY_BROKER_RELIABLE`, as Tesla's `reliable_ack_sources`): `publish` returns once every
  broker confirmed the record and raises `BrokerUnavailable` otherwise; the receiver then withholds the car's ack, so
  the car sends the record again (stored already, it is a duplicate for the database, published again). Nothing is
  dropped, at the price of a car's stream waiting on the broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections import deque
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from fleetgate.config import Settings, SettingsError
from fleetgate.features.telemetry.brokers.broker import Broker, BrokerUnavailable
from fleetgate.features.telemetry.brokers.messages import BrokerRecord
from fleetgate.features.telemetry.brokers.mqtt import MqttBroker
from fleetgate.features.telemetry.brokers.nats import NatsBroker
from fleetgate.infra.metrics import Metrics

log = logging.getLogger("fleetgate.telemetry.brokers")

FIRST_RETRY_SECONDS = 0.1
LAST_RETRY_SECONDS = 10.0
BATCH_RECORDS = 200
# Stopping, the buffer gets this long to reach a broker that is up.
CLOSE_GRACE_SECONDS = 5.0
_PREFIX = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*")


@dataclass(frozen=True, slots=True)
class BrokerSettings:
    nats_url: str = ""
    mqtt_url: str = ""
    # NATS subjects and MQTT topics start with it (Tesla's: `telemetry`).
    prefix: str = "telemetry"
    reliable: bool = False
    buffer_records: int = 10_000
    mqtt_field_topics: bool = True
    timeout_seconds: float = 5.0

    @classmethod
    def of(cls, settings: Settings) -> BrokerSettings:
        return cls(
            nats_url=settings.telemetry_nats_url.get_secret_value(),
            mqtt_url=settings.telemetry_mqtt_url.get_secret_value(),
            prefix=settings.telemetry_broker_prefix,
            reliable=settings.telemetry_broker_reliable,
            buffer_records=settings.telemetry_broker_buffer_records,
            mqtt_field_topics=settings.telemetry_mqtt_field_topics,
        )

    def __post_init__(self) -> None:
        if not _PREFIX.fullmatch(self.prefix):
            raise SettingsError("A broker prefix is dot-separated words of letters, digits, '_' and '-'.")
        if self.buffer_records < 1 or self.timeout_seconds <= 0:
            raise SettingsError("A broker buffer holds at least one record, and its timeout is positive.")
        if self.nats_url and urlsplit(self.nats_url).scheme not in ("nats", "tls", "ws", "wss"):
            raise SettingsError("FLEETGATE_TELEMETRY_NATS_URL is nats://[user:password@]host[:port] (or tls://).")
        if self.mqtt_url and (
            urlsplit(self.mqtt_url).scheme not in ("mqtt", "mqtts") or not urlsplit(self.mqtt_url).hostname
        ):
            raise SettingsError("FLEETGATE_TELEMETRY_MQTT_URL is mqtt://[user:password@]host[:port] (or mqtts://).")


class RecordPublisher(Protocol):
    @property
    def reliable(self) -> bool:
        """Whether `publish` waits for the broker (and the ack must wait for `publish`)."""
        ...

    async def publish(self, record: BrokerRecord) -> None:
        """Buffered: returns at once, never raises. Reliable: returns once confirmed, or raises `BrokerUnavailable`."""
        ...


@contextlib.asynccontextmanager
async def open_publisher(settings: BrokerSettings, metrics: Metrics) -> AsyncIterator[RecordPublisher | None]:
    """The configured brokers' publisher for the receiver's life, or None when no broker is configured. Connections
    are opened at the first record: a broker that is down when the receiver starts does not stop it."""
    brokers: list[Broker] = []
    if settings.nats_url:
        brokers.append(NatsBroker(settings.nats_url, settings.prefix, timeout_seconds=settings.timeout_seconds))
    if settings.mqtt_url:
        brokers.append(
            MqttBroker(
                settings.mqtt_url,
                settings.prefix,
                timeout_seconds=settings.timeout_seconds,
                field_topics=settings.mqtt_field_topics,
            )
        )
    if not brokers:
        yield None
        return
    mode = "reliable: a record is acked once confirmed" if settings.reliable else "buffered"
    for broker in brokers:
        log.info("telemetry records published to %s (%s)", broker.name, mode)
    publishers: list[BufferedPublisher | ReliablePublisher] = [
        ReliablePublisher(broker, metrics, timeout_seconds=settings.timeout_seconds)
        if settings.reliable
        else BufferedPublisher(broker, metrics, capacity=settings.buffer_records)
        for broker in brokers
    ]
    try:
        yield publishers[0] if len(publishers) == 1 else AllBrokers(publishers, reliable=settings.reliable)
    finally:
        await asyncio.gather(*(publisher.close() for publisher in publishers))


class BufferedPublisher:
    reliable = False

    def __init__(self, broker: Broker, metrics: Metrics, *, capacity: int) -> None:
        self._broker = broker
        self._metrics = metrics
        self._capacity = capacity
        self._buffer: deque[BrokerRecord] = deque()
        self._waiting = asyncio.Event()
        self._stopping = asyncio.Event()
        self._sender = asyncio.create_task(self._send_forever(), name=f"telemetry-{broker.name}-publisher")
        metrics.telemetry_broker_buffered.labels(broker.name).set_function(lambda: len(self._buffer))

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    async def publish(self, record: BrokerRecord) -> None:
        self._buffer.append(record)
        self._trim()
        self._waiting.set()

    async def close(self) -> None:
        self._stopping.set()
        self._waiting.set()
        await asyncio.wait([self._sender], timeout=CLOSE_GRACE_SECONDS)
        self._sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._sender
        self._count_dropped(len(self._buffer))
        self._buffer.clear()
        await self._broker.close()

    async def _send_forever(self) -> None:
        retry = FIRST_RETRY_SECONDS
        while True:
            if not self._buffer:
                if self._stopping.is_set():
                    return
                self._waiting.clear()
                await self._waiting.wait()
                continue
            batch = [self._buffer.popleft() for _ in range(min(BATCH_RECORDS, len(self._buffer)))]
            try:
                refused = await self._broker.send(batch)
            except BrokerUnavailable as error:
                self._metrics.telemetry_broker_failures.labels(self._broker.name).inc()
                log.warning("telemetry records kept for %s, tried again in %.1fs: %s", self._broker.name, retry, error)
                self._buffer.extendleft(reversed(batch))
                self._trim()
                if self._stopping.is_set():
                    return
                with contextlib.suppress(TimeoutError):
                    # Stopping cuts the wait short, for one last try.
                    await asyncio.wait_for(self._stopping.wait(), retry)
                retry = min(retry * 2, LAST_RETRY_SECONDS)
                continue
            except Exception:
                # Not the broker's doing (a record it cannot take): those records go, the publishing goes on.
                log.exception("telemetry records dropped: %s could not send them", self._broker.name)
                self._count_dropped(len(batch))
                continue
            retry = FIRST_RETRY_SECONDS
            _count_refused(self._metrics, self._broker.name, refused)
            taken = [record for record in batch if not any(record is other for other in refused)]
            _count_published(self._metrics, self._broker.name, taken)

    def _trim(self) -> None:
        over = len(self._buffer) - self._capacity
        for _ in range(over):
            self._buffer.popleft()
        if over > 0:
            self._count_dropped(over)

    def _count_dropped(self, records: int) -> None:
        if records:
            self._metrics.telemetry_broker_dropped.labels(self._broker.name).inc(records)


class ReliablePublisher:
    reliable = True

    def __init__(self, broker: Broker, metrics: Metrics, *, timeout_seconds: float) -> None:
        self._broker = broker
        self._metrics = metrics
        self._timeout = timeout_seconds

    async def publish(self, record: BrokerRecord) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                refused = await self._broker.send([record])
        except (BrokerUnavailable, TimeoutError) as error:
            self._metrics.telemetry_broker_failures.labels(self._broker.name).inc()
            if isinstance(error, BrokerUnavailable):
                raise
            raise BrokerUnavailable(f"{self._broker.name} did not confirm within {self._timeout}s") from error
        # A record the broker will never take is acked all the same, or the car would send it forever.
        _count_refused(self._metrics, self._broker.name, refused)
        if not refused:
            _count_published(self._metrics, self._broker.name, [record])

    async def close(self) -> None:
        await self._broker.close()


class AllBrokers:
    def __init__(self, publishers: Sequence[RecordPublisher], *, reliable: bool) -> None:
        self._publishers = publishers
        self.reliable = reliable

    async def publish(self, record: BrokerRecord) -> None:
        outcomes = await asyncio.gather(*(p.publish(record) for p in self._publishers), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome


def _count_refused(metrics: Metrics, broker: str, records: Sequence[BrokerRecord]) -> None:
    for record in records:
        log.error("a %s record of %s dropped: %s refuses it (too large)", record.kind, record.vin, broker)
    if records:
        metrics.telemetry_broker_dropped.labels(broker).inc(len(records))


def _count_published(metrics: Metrics, broker: str, records: Sequence[BrokerRecord]) -> None:
    for record in records:
        metrics.telemetry_broker_published.labels(broker, record.kind).inc()
