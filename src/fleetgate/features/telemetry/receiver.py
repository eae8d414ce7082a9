"""One car's WebSocket: who it is, then each binary frame decoded, stored and only then acked.

The car is who its verified client certificate says (`vin_of`), never what a record says. Answers follow Tesla's
server (fleet-telemetry `server/streaming/socket.go`): a frame that cannot be read gets the error frame
("incorrect message format") and the socket stays open; a topic or message this server does not use is acked all
the same, so that the car does not send it again forever; a car fleetgate has no device for is acked and dropped.
Records are stored many to a transaction (`ingest_queue`), each acked once its transaction has committed. A record
that could not be stored (the database failed) is not acked: the car sends it again.

With a broker configured (`brokers/`), each record of a known car is published once stored, a duplicate too (its
first publishing may not have been confirmed); in reliable mode a record the broker did not confirm is not acked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from datetime import UTC, datetime

from websockets import ConnectionClosed
from websockets.asyncio.server import ServerConnection

from fleetgate.features.telemetry.brokers import BrokerUnavailable, RecordPublisher, broker_record
from fleetgate.features.telemetry.ingest import (
    CONNECTED,
    DISCONNECTED,
    Incoming,
    Outcome,
    signals_of,
    vouch_for_streams,
)
from fleetgate.features.telemetry.ingest_queue import IngestQueue
from fleetgate.infra.models.telemetry_connectivity import HEARTBEAT
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.protocol.telemetry.certificates import vin_of
from fleetgate.protocol.telemetry.envelope import (
    INCORRECT_MESSAGE_FORMAT,
    FormatErrorReply,
    MalformedFrame,
    StreamAck,
    StreamMessage,
    decode_frame,
    encode_ack,
    encode_format_error,
)
from fleetgate.protocol.telemetry.records import (
    TOPIC_ALERTS,
    TOPIC_ERRORS,
    TOPIC_VEHICLE_DATA,
    Connectivity,
    MalformedRecord,
    VehicleAlerts,
    VehicleData,
    VehicleErrors,
    decode_alerts,
    decode_errors,
    decode_vehicle_data,
)

log = logging.getLogger("fleetgate.telemetry")
# WebSocket close codes (RFC 6455): a text frame is data this endpoint does not take; no identity is a policy breach.
UNSUPPORTED_DATA = 1003
POLICY_VIOLATION = 1008
NETWORK_INTERFACE_LENGTH = 40  # `telemetry_connectivity.network_interface`; cars send "wifi" or "cellular"
# A socket's open or close, not tied to an ack, is tried again a little later (1 s, then 2 s) when it fails.
CONNECTIVITY_ATTEMPTS = 3


class Receiver:
    """The handler of every car's socket, with counts of what it did (`stats`)."""

    def __init__(self, runtime: Runtime, queue: IngestQueue, publisher: RecordPublisher | None = None) -> None:
        self.runtime = runtime
        self.queue = queue
        self.publisher = publisher
        self.stats: Counter[str] = Counter()
        self.open_streams: set[str] = set()

    async def heartbeats(self) -> None:
        """Vouches for this process's open streams until cancelled, so that other processes can tell them from the
        streams of a receiver that died."""
        while True:
            await asyncio.sleep(HEARTBEAT.total_seconds())
            try:
                await vouch_for_streams(self.runtime, set(self.open_streams), datetime.now(UTC))
            except Exception:
                log.exception("telemetry: the open streams could not be vouched for")

    async def handle(self, connection: ServerConnection) -> None:
        vin = _certified_vin(connection)
        if vin is None:
            await connection.close(POLICY_VIOLATION, "no usable client certificate")
            return
        stream_id = new_id("tls")
        self.open_streams.add(stream_id)
        self.runtime.metrics.telemetry_streams.inc()
        interface = connection.request.headers.get("X-Network-Interface") if connection.request else None
        interface = interface[:NETWORK_INTERFACE_LENGTH] if interface else None
        known = await self._connectivity(vin, stream_id, connected=True, interface=interface)
        if not known:
            log.info("telemetry from %s: no device of fleetgate's may read it; its records are acked and dropped", vin)
        try:
            async for frame in connection:
                if isinstance(frame, str):
                    self.stats["text_frames"] += 1
                    await connection.close(UNSUPPORTED_DATA, "binary frames only")
                    return
                reply = await self.answer(vin, frame)
                if reply is not None:
                    await connection.send(reply)
        except ConnectionClosed:
            pass
        finally:
            self.open_streams.discard(stream_id)
            self.runtime.metrics.telemetry_streams.dec()
            await self._connectivity(vin, stream_id, connected=False, interface=interface)

    async def answer(self, vin: str, frame: bytes) -> bytes | None:
        """The frame to send back: an ack once the record is stored, the error frame, or None (not stored: no ack)."""
        self.stats["frames"] += 1
        try:
            message = decode_frame(frame)
        except MalformedFrame:
            self._count("malformed")
            return encode_format_error(FormatErrorReply(b"", INCORRECT_MESSAGE_FORMAT))
        if isinstance(message, StreamAck):
            return None  # cars do not ack; nothing to answer
        try:
            record = _decoded(message)
        except (MalformedRecord, ValueError):
            self._count("malformed")
            return encode_format_error(FormatErrorReply(message.txid, INCORRECT_MESSAGE_FORMAT))
        try:
            outcome = await self._store(vin, record)
        except BrokerUnavailable as error:
            log.warning(
                "telemetry from %s: a %r record stored, not confirmed by the broker; not acked: %s",
                vin,
                message.topic,
                error,
            )
            self._count("not_published")
            return None
        except Exception:
            log.exception("telemetry from %s: a %r record could not be stored; not acked", vin, message.topic)
            self._count("not_stored")
            return None
        self._count(outcome)
        return encode_ack(StreamAck(message.txid, message.topic, message.message_id))

    async def _store(self, vin: str, record: Record) -> str:
        if record is None:
            # Connectivity records are the server's own, and other topics are not ours: acked, not kept.
            return "ignored_topic"
        if isinstance(record, VehicleErrors):
            for error in record.errors:
                log.warning("telemetry from %s: the car reports %s: %s", vin, error.name, error.body)
        ingested = await self.queue.store(Incoming(vin, record))
        if ingested.outcome == Outcome.STORED:
            signals = signals_of(record)
            self.stats["signals"] += signals
            self.runtime.metrics.telemetry_signals.inc(signals)
        if self.publisher is not None and ingested.fed:
            await self.publisher.publish(broker_record(vin, record, ingested.fed))
        return ingested.outcome.value

    def _count(self, outcome: str) -> None:
        self.stats[outcome] += 1
        self.runtime.metrics.telemetry_records.labels(outcome).inc()

    async def _connectivity(self, vin: str, stream_id: str, *, connected: bool, interface: str | None) -> bool:
        event = Connectivity(
            vin, stream_id, CONNECTED if connected else DISCONNECTED, datetime.now(UTC), interface or ""
        )
        for attempt in range(CONNECTIVITY_ATTEMPTS):
            try:
                ingested = await self.queue.store(Incoming(vin, event))
                break
            except Exception:
                if attempt + 1 == CONNECTIVITY_ATTEMPTS:
                    log.exception("telemetry from %s: its connectivity could not be recorded", vin)
                    return True
                await asyncio.sleep(2**attempt)
        if self.publisher is not None and ingested.fed:
            with contextlib.suppress(BrokerUnavailable):  # no ack waits on it
                await self.publisher.publish(broker_record(vin, event, ingested.fed))
        return ingested.outcome != Outcome.UNKNOWN_VEHICLE


Record = VehicleData | VehicleAlerts | VehicleErrors | None


def _decoded(message: StreamMessage) -> Record:
    if message.topic == TOPIC_VEHICLE_DATA:
        return decode_vehicle_data(message.payload)
    if message.topic == TOPIC_ALERTS:
        return decode_alerts(message.payload)
    if message.topic == TOPIC_ERRORS:
        return decode_errors(message.payload)
    return None


def _certified_vin(connection: ServerConnection) -> str | None:
    ssl_object = connection.transport.get_extra_info("ssl_object")
    certificate = ssl_object.getpeercert(binary_form=True) if ssl_object is not None else None
    if not certificate:
        return None
    try:
        return vin_of(certificate)
    except ValueError:
        return None
