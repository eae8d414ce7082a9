"""Step 11: what the application was told along the way (events, webhook deliveries) and what Tesla will bill."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fleetgate.devtools.demo.api import require, until
from fleetgate.devtools.demo.context import Demo

CATEGORIES = ("data", "commands", "wakes")


async def deliveries_and_usage(demo: Demo) -> None:
    demo.say.step(11, "Webhook deliveries and usage")
    events = await demo.gateway.every("/v1/events")
    require(bool(events), "the event log is empty")
    wanted = {event["id"] for event in events}
    deliveries_path = f"/v1/webhook-endpoints/{demo.endpoint_id}/deliveries"

    async def all_delivered() -> list[dict[str, Any]] | None:
        if not wanted <= demo.receiver.verified_ids():
            return None
        deliveries = await demo.gateway.every(deliveries_path, quiet=True)
        done = {d["event_id"] for d in deliveries if d["status"] == "succeeded"}
        return deliveries if wanted <= done else None

    demo.say.note(f"waiting until the receiver has verified all {len(wanted)} events and the API says delivered")
    deliveries = await until(all_delivered, "every event to be delivered to the webhook receiver")
    deliveries = await demo.gateway.every(deliveries_path)

    counts = Counter(item.event_type for item in demo.receiver.received if item.verified)
    demo.say.table(
        f"Verified by the receiver ({sum(counts.values())} deliveries)",
        ["event", "verified deliveries"],
        sorted(counts.items()),
    )
    unverified = [item for item in demo.receiver.received if not item.verified]
    require(not unverified, f"{len(unverified)} deliveries failed the signature check: {unverified}")

    demo.say.table(
        "Deliveries, as the API lists them",
        ["event", "status", "attempts", "status codes"],
        [
            [
                delivery["event_type"],
                delivery["status"],
                delivery["attempts"],
                " ".join(str(attempt["status_code"] or attempt["error"]) for attempt in delivery["attempt_log"]),
            ]
            for delivery in deliveries
        ],
    )
    demo.say.ok(f"{len(wanted)} events delivered and verified")

    usage = await demo.gateway.get("/v1/usage")
    totals, costs = usage["totals"], usage["estimated_cost_usd"]
    demo.say.table(
        "Tesla calls by billing category",
        ["category", "calls", "estimated cost (USD)"],
        [
            *([category, totals[category], f"{costs[category]:.4f}"] for category in CATEGORIES),
            ["total", sum(totals[category] for category in CATEGORIES), f"{costs['total']:.4f}"],
        ],
    )
    demo.say.facts(
        [
            ("calls Tesla does not bill", usage["unbilled_calls"]),
            ("calls per USD (Tesla's prices)", usage["calls_per_usd"]),
        ]
    )
    require(totals["commands"] > 0 and totals["data"] > 0, f"usage shows no data or command calls: {totals}")
