"""MQTT: the topics of Tesla's server (`<prefix>/<VIN>/v/<Field>` with `{"value": …}`, one message per field, so a
subscriber can follow one field), and beside them the whole record's JSON on `<prefix>/<VIN>/v`,
`<prefix>/<VIN>/alerts`, `<prefix>/<VIN>/errors` and `<prefix>/<VIN>/connectivity`. Tesla also splits alerts
(`…/alerts/<name>/current`, `…/history`) and errors (`…/errors/<name>`) by name; here a subscriber reads them from
the record.

QoS 1, not retained: the broker's PUBACK is the confirmation, and a record's messages are published together. A
failed connection is dropped and opened again on the next send.

The MQTT client costs CPU per message (about 2,000 QoS 1 messages a second on one core here): with a message per
field a record of ten fields is eleven messages, so a receiver taking thousands of records a second may want
`FLEETGATE_TELEMETRY_MQTT_FIELD_TOPICS=false` (the record's topic alone), or NATS (one message per record).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import ssl
import sys
from collections.abc import Iterator, Sequence
from urllib.parse import unquote, urlsplit

import aiomqtt

from fleetgate.features.telemetry.brokers.broker import BrokerUnavailable, where
from fleetgate.features.telemetry.brokers.messages import VEHICLE_DATA, BrokerRecord, encode_json

log = logging.getLogger("fleetgate.telemetry.brokers")
QOS = 1


def messages(prefix: str, record: BrokerRecord, *, field_topics: bool = True) -> Iterator[tuple[str, bytes]]:
    base = f"{prefix}/{record.safe_vin}/{record.kind.lower()}"
    yield base, record.payload()
    if field_topics and record.kind == VEHICLE_DATA:
        for name, value in record.fields.items():
            yield f"{base}/{name}", encode_json({"value": value})


class MqttBroker:
    name = "mqtt"

    def __init__(self, url: str, prefix: str, *, timeout_seconds: float, field_topics: bool = True) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise ValueError("an MQTT URL is mqtt://[user:password@]host[:port] or mqtts://…")
        self._url = url
        self._parts = parts
        self._prefix = prefix
        self._field_topics = field_topics
        self._timeout = timeout_seconds
        self._client: aiomqtt.Client | None = None
        self._connecting = asyncio.Lock()

    async def send(self, records: Sequence[BrokerRecord]) -> Sequence[BrokerRecord]:
        client = await self._connected()
        sent = await asyncio.gather(
            *(
                client.publish(topic, payload, qos=QOS, timeout=self._timeout)
                for record in records
                for topic, payload in messages(self._prefix, record, field_topics=self._field_topics)
            ),
            return_exceptions=True,
        )
        failed = next((outcome for outcome in sent if isinstance(outcome, BaseException)), None)
        if failed is None:
            return ()
        await self._discard(client)
        if not isinstance(failed, aiomqtt.MqttError | OSError | TimeoutError):
            raise failed
        raise BrokerUnavailable(f"MQTT at {where(self._url)}: {failed!r}") from failed

    async def close(self) -> None:
        if self._client is not None:
            await self._discard(self._client)

    async def _connected(self) -> aiomqtt.Client:
        async with self._connecting:
            if self._client is not None:
                return self._client
            parts = self._parts
            client = aiomqtt.Client(
                parts.hostname or "",
                parts.port or (8883 if parts.scheme == "mqtts" else 1883),
                username=unquote(parts.username) if parts.username else None,
                password=unquote(parts.password) if parts.password else None,
                identifier=f"fleetgate-{secrets.token_hex(8)}",
                tls_context=ssl.create_default_context() if parts.scheme == "mqtts" else None,
                timeout=self._timeout,
            )
            # aiomqtt warns past 10 publishes awaiting their PUBACK: a batch has many by design. (Paho keeps 20 in
            # flight and queues the rest; larger windows measured slower.)
            client.pending_calls_threshold = sys.maxsize
            try:
                await client.__aenter__()
            except (aiomqtt.MqttError, OSError, TimeoutError) as error:
                raise BrokerUnavailable(f"MQTT at {where(self._url)}: {error!r}") from error
            self._client = client
            return client

    async def _discard(self, client: aiomqtt.Client) -> None:
        if self._client is client:
            self._client = None
        try:
            await client.__aexit__(None, None, None)
        except (aiomqtt.MqttError, OSError, TimeoutError) as error:
            log.debug("MQTT at %s: %r", where(self._url), error)
