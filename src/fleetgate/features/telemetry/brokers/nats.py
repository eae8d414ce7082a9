"""NATS: one message per record on `<prefix>.<VIN>.<topic>`, as Tesla's server names its subjects
(`telemetry.<vin>.V`, `.alerts`, `.errors`, `.connectivity`), the record's JSON as its payload.

Core NATS has no per-message ack: a flush (a PING answered by the server's PONG after everything before it) is what
confirms that the server has a batch. The client's own reconnection is off: a publish into its reconnect buffer
would look sent while nothing confirms it, so a failed connection is dropped and opened again on the next send.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Sequence

import nats
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.errors import MaxPayloadError

from fleetgate.features.telemetry.brokers.broker import BrokerUnavailable, where
from fleetgate.features.telemetry.brokers.messages import BrokerRecord

log = logging.getLogger("fleetgate.telemetry.brokers")


def subject(prefix: str, record: BrokerRecord) -> str:
    return f"{prefix}.{record.safe_vin}.{record.kind}"


class NatsBroker:
    name = "nats"

    def __init__(self, url: str, prefix: str, *, timeout_seconds: float) -> None:
        self._url = url
        self._prefix = prefix
        self._timeout = timeout_seconds
        self._client: Client | None = None
        self._connecting = asyncio.Lock()

    async def send(self, records: Sequence[BrokerRecord]) -> Sequence[BrokerRecord]:
        client = await self._connected()
        refused = []
        try:
            for record in records:
                try:
                    await client.publish(subject(self._prefix, record), record.payload())
                except MaxPayloadError:
                    refused.append(record)
            await client.flush(timeout=math.ceil(self._timeout))
        except (NatsError, OSError, TimeoutError) as error:
            await self._discard(client)
            raise BrokerUnavailable(f"NATS at {where(self._url)}: {error!r}") from error
        return refused

    async def close(self) -> None:
        if self._client is not None:
            await self._discard(self._client)

    async def _connected(self) -> Client:
        async with self._connecting:
            if self._client is not None and self._client.is_connected:
                return self._client
            if self._client is not None:
                await self._discard(self._client)
            try:
                self._client = await nats.connect(
                    self._url,
                    allow_reconnect=False,
                    # Else its first connection is tried again and again, outside the publisher's back-off.
                    max_reconnect_attempts=1,
                    reconnect_time_wait=0,
                    connect_timeout=math.ceil(self._timeout),
                    error_cb=self._on_error,
                    name="fleetgate-telemetry",
                )
            except (NatsError, OSError, TimeoutError) as error:
                raise BrokerUnavailable(f"NATS at {where(self._url)}: {error!r}") from error
            return self._client

    async def _discard(self, client: Client) -> None:
        if self._client is client:
            self._client = None
        with contextlib.suppress(NatsError, OSError, TimeoutError):
            await client.close()

    async def _on_error(self, error: Exception) -> None:
        # The client reports a lost connection here too; the next send finds it closed and reconnects.
        log.debug("NATS at %s: %r", where(self._url), error)
