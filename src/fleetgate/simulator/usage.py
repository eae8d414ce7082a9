"""Billing counters: every Fleet API response under 500 is billable, counted by Tesla's category."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

CATEGORIES = ("data", "commands", "wakes", "streaming_signals")


@dataclass(slots=True)
class UsageLedger:
    by_client: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_device: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    by_endpoint: Counter[tuple[str, str]] = field(default_factory=Counter)
    unbilled: Counter[str] = field(default_factory=Counter)

    def record(self, *, client_id: str, device: str | None, category: str | None, endpoint: str, status: int) -> None:
        if status >= 500:
            self.unbilled[client_id] += 1
            return
        self.by_endpoint[(client_id, endpoint)] += 1
        if category is None:
            return
        self.by_client[(client_id, category)] += 1
        if device is not None:
            self.by_device[(client_id, device, category)] += 1

    def record_signals(self, *, client_id: str, device: str, count: int) -> None:
        """Datums a car streamed to the app: billed by the signal, not by the call."""
        self.by_client[(client_id, "streaming_signals")] += count
        self.by_device[(client_id, device, "streaming_signals")] += count

    def report(self) -> dict[str, Any]:
        clients: dict[str, dict[str, Any]] = {}
        for (client, category), count in self.by_client.items():
            entry = clients.setdefault(client, {"totals": dict.fromkeys(CATEGORIES, 0), "devices": {}})
            entry["totals"][category] += count
        for (client, device, category), count in self.by_device.items():
            devices = clients.setdefault(client, {"totals": dict.fromkeys(CATEGORIES, 0), "devices": {}})["devices"]
            devices.setdefault(device, dict.fromkeys(CATEGORIES, 0))[category] += count
        totals = dict.fromkeys(CATEGORIES, 0)
        for (_, category), count in self.by_client.items():
            totals[category] += count
        endpoints: dict[str, dict[str, int]] = {}
        for (client, endpoint), count in self.by_endpoint.items():
            endpoints.setdefault(client, {})[endpoint] = count
        return {
            "totals": totals,
            "clients": clients,
            "endpoints": endpoints,
            "unbilled_errors": dict(self.unbilled),
        }
