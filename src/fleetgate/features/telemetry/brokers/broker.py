"""What the publishers need of a broker: send records and say so only once the broker has them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from fleetgate.features.telemetry.brokers.messages import BrokerRecord


class BrokerUnavailable(Exception):
    """The broker did not confirm: down, unreachable, refusing, or too slow."""


class Broker(Protocol):
    @property
    def name(self) -> str:
        """`nats` or `mqtt`: the metrics' label."""
        ...

    async def send(self, records: Sequence[BrokerRecord]) -> Sequence[BrokerRecord]:
        """Returns once the broker confirmed every record but those it answers, which it will never take (over its
        size limit): sending them again would only block the others. Raises `BrokerUnavailable` otherwise (some may
        have arrived: a record sent again after that can arrive twice). Connects, or connects again, as it needs."""
        ...

    async def close(self) -> None: ...


def where(url: str) -> str:
    """A broker's URL without its credentials, for errors and logs."""
    rest = url.split("://", 1)[-1]
    return rest.rsplit("@", 1)[-1].split("/", 1)[0]
