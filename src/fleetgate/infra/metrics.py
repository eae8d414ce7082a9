"""Prometheus metrics of one process, on a registry of its own (built with `Runtime`, never at import), served at
`GET /metrics`. Labels are bounded: route templates, command names from the catalogue, billing categories, status
codes; never ids, VINs or tokens.

Counters count what this process did; the queue depths (`fleetgate_commands`, `fleetgate_webhook_deliveries`) are
read from the database at each scrape, so every API process reports the whole deployment's queues.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

BATCH_BUCKETS = (1, 2, 5, 10, 25, 50, 100, 250, 500)
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def _registry() -> CollectorRegistry:
    return CollectorRegistry(auto_describe=True)


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=_registry)

    def __post_init__(self) -> None:
        registry = self.registry
        self.http_requests = Counter(
            "fleetgate_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=registry
        )
        self.http_seconds = Histogram(
            "fleetgate_http_request_seconds",
            "Time to answer an HTTP request",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.commands_ended = Counter(
            "fleetgate_commands_ended",
            "Commands that reached a terminal state in this process",
            ["command", "status"],
            registry=registry,
        )
        self.command_seconds = Histogram(
            "fleetgate_command_seconds",
            "From submission to the end, for commands run by this process",
            ["command", "status"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.upstream_calls = Counter(
            "fleetgate_upstream_calls",
            "Fleet API calls answered, by Tesla's billing category (`none`: not billed)",
            ["category", "status"],
            registry=registry,
        )
        self.webhook_attempts = Counter(
            "fleetgate_webhook_attempts", "Webhook delivery attempts", ["outcome"], registry=registry
        )
        self.telemetry_broker_published = Counter(
            "fleetgate_telemetry_broker_published",
            "Telemetry records a broker confirmed",
            ["broker", "topic"],
            registry=registry,
        )
        self.telemetry_broker_failures = Counter(
            "fleetgate_telemetry_broker_failures",
            "Attempts to publish telemetry records that the broker did not confirm",
            ["broker"],
            registry=registry,
        )
        self.telemetry_broker_dropped = Counter(
            "fleetgate_telemetry_broker_dropped",
            "Telemetry records never published: the oldest, dropped from a full buffer while the broker was down, "
            "left unsent at shutdown, or too large for the broker",
            ["broker"],
            registry=registry,
        )
        self.telemetry_broker_buffered = Gauge(
            "fleetgate_telemetry_broker_buffered",
            "Telemetry records waiting in this receiver's buffer for a broker",
            ["broker"],
            registry=registry,
        )
        self.telemetry_records = Counter(
            "fleetgate_telemetry_records",
            "Frames cars streamed to this receiver, by what became of them (stored, duplicate, unknown_vehicle, "
            "malformed, not_stored, not_published, ignored_topic)",
            ["outcome"],
            registry=registry,
        )
        self.telemetry_signals = Counter(
            "fleetgate_telemetry_signals", "Datums of the records this receiver stored", registry=registry
        )
        self.telemetry_batch_records = Histogram(
            "fleetgate_telemetry_batch_records",
            "Records (and stream opens and closes) this receiver stored in one transaction",
            buckets=BATCH_BUCKETS,
            registry=registry,
        )
        self.telemetry_streams = Gauge(
            "fleetgate_telemetry_streams", "Cars' WebSockets open on this receiver", registry=registry
        )
        self.commands = Gauge(
            "fleetgate_commands", "Commands not ended yet, by status (whole deployment)", ["status"], registry=registry
        )
        self.webhook_deliveries = Gauge(
            "fleetgate_webhook_deliveries",
            "Webhook deliveries waiting to be sent (whole deployment)",
            ["status"],
            registry=registry,
        )
