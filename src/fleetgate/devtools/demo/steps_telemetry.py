"""Step 8: Fleet Telemetry on the Model 3: a config of a few fields with its cost beside polling, the car streaming to
`fleetgate dev`'s receiver, and the state answered from the stream."""

from __future__ import annotations

from typing import Any

from fleetgate.devtools.demo.api import require, until
from fleetgate.devtools.demo.context import Demo
from fleetgate.devtools.demo.steps_connect import model_of

STREAMED_FIELDS = ("battery_level_pct", "charging_state", "location")
INTERVAL_SECONDS = 60


async def stream_the_car(demo: Demo) -> None:
    device_id = demo.devices["paired"]
    demo.say.step(8, f"Stream the {model_of(demo, 'paired')} with Fleet Telemetry instead of polling it")
    config = await demo.gateway.call(
        "PUT",
        f"/v1/devices/{device_id}/telemetry",
        {"fields": list(STREAMED_FIELDS), "interval_seconds": INTERVAL_SECONDS},
    )
    demo.say.facts(
        [
            ("status", config["status"]),
            ("receiver", f"{config['hostname']}:{config['port']}"),
            *((name, _setting(field)) for name, field in config["fields"].items()),
        ]
    )
    show_estimate(demo, config["estimate"])

    demo.say.note("the car, online, takes the config and streams to the receiver; the state is read until it says so")

    async def streamed() -> dict[str, Any] | None:
        state = await demo.gateway.get(f"/v1/devices/{device_id}/state", params={"max_age": 3600}, quiet=True)
        return state if state["source"] == "telemetry" and set(STREAMED_FIELDS) <= set(state["field_times"]) else None

    await until(streamed, f"the {model_of(demo, 'paired')}'s state to come from its stream")
    state = await demo.gateway.get(f"/v1/devices/{device_id}/state", params={"max_age": 3600})
    demo.say.facts([("source", state["source"]), *((name, state["data"].get(name)) for name in STREAMED_FIELDS)])
    demo.say.facts((f"field_times.{name}", state["field_times"][name]) for name in STREAMED_FIELDS)
    require(state["source"] == "telemetry", f"the state should come from the stream, not {state['source']}")
    demo.say.ok("the state comes from the car's stream: no vehicle_data call for it")

    usage = await demo.gateway.get("/v1/usage")
    signals = usage["totals"]["streaming_signals"]
    demo.say.facts(
        [
            ("streaming_signals", signals),
            ("estimated cost (USD)", f"{usage['estimated_cost_usd']['streaming_signals']:.6f}"),
        ]
    )
    require(signals > 0, f"usage shows no streaming signals: {usage['totals']}")


def show_estimate(demo: Demo, estimate: dict[str, Any]) -> None:
    polling = estimate["polling"]
    demo.say.table(
        "Estimated cost, a typical day (Tesla's prices)",
        ["", "per day", "USD a day", "USD a month"],
        [
            [
                "streaming",
                f"{estimate['signals_per_day']:g} signals",
                _usd(estimate["usd_per_day"]),
                _usd(estimate["usd_per_month"]),
            ],
            [
                f"polling every {polling['freshness_seconds']} s",
                f"{polling['requests_per_day']:g} vehicle_data calls",
                _usd(polling["usd_per_day"]),
                _usd(polling["usd_per_month"]),
            ],
        ],
    )


def _setting(field: dict[str, Any]) -> str:
    delta = field["minimum_delta"]
    return f"{field['tesla_field']} every {field['interval_seconds']} s" + (
        f", minimum_delta {delta:g}" if delta is not None else ""
    )


def _usd(amount: float) -> str:
    return f"{amount:.4f}"
