"""Steps 9 and 10: a charge schedule set on the car and read back from it, and yesterday's energy flows of the
Powerwall, read from Tesla once and then from the gateway's store."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fleetgate.devtools.demo.api import require
from fleetgate.devtools.demo.context import Demo
from fleetgate.devtools.demo.steps_connect import model_of

WEEKNIGHTS = "Monday,Tuesday,Wednesday,Thursday,Friday"
NIGHT_START, MORNING_END = 23 * 60, 6 * 60
FLOWS = ("solar_wh", "home_wh", "battery_charge_wh", "battery_discharge_wh", "grid_import_wh", "grid_export_wh")


def clock(minute: int | None) -> str:
    return "none" if minute is None else f"{minute // 60:02d}:{minute % 60:02d}"


async def charge_schedule(demo: Demo) -> None:
    car_id = demo.devices["paired"]
    demo.say.step(9, f"Charge the {model_of(demo, 'paired')} on weeknights, 23:00 to 06:00, where it is parked")
    state = await demo.gateway.get(f"/v1/devices/{car_id}/state", quiet=True)
    here = state["data"].get("location")
    require(here is not None, "the car's state has no location to put the schedule at")
    params = {
        "name": "Weeknights",
        "days_of_week": WEEKNIGHTS,
        "enabled": True,
        "start_enabled": True,
        "start_time": NIGHT_START,
        "end_enabled": True,
        "end_time": MORNING_END,
        "lat": round(here["latitude"], 5),
        "lon": round(here["longitude"], 5),
    }
    done = await demo.gateway.command(car_id, "add_charge_schedule", params)
    require(done["status"] == "succeeded", f"add_charge_schedule ended {done['status']}: {done}")
    demo.say.note("read back from the car (max_age=0: a vehicle_data call, billed as data):")
    state = await demo.gateway.get(f"/v1/devices/{car_id}/state", params={"max_age": 0})
    schedules: list[dict[str, Any]] = state["data"].get("charge_schedules") or []
    ours = [schedule for schedule in schedules if schedule["name"] == "Weeknights"]
    require(len(ours) == 1, f"the car should hold the schedule once: {schedules}")
    schedule = ours[0]
    demo.say.facts(
        [
            ("id", schedule["id"]),
            ("days", ", ".join(schedule["days"])),
            ("from", clock(schedule["start_minute"])),
            ("to", clock(schedule["end_minute"])),
            ("place", schedule["place"]),
        ]
    )
    require(
        (schedule["start_minute"], schedule["end_minute"]) == (NIGHT_START, MORNING_END),
        f"the schedule reads back with other times: {schedule}",
    )
    demo.say.ok(f"the car holds schedule {schedule['id']}; remove_charge_schedule with that id takes it away")


async def yesterdays_energy(demo: Demo) -> None:
    site_id = demo.devices["site"]
    demo.say.step(10, "Yesterday's energy flows of the Powerwall")
    today = await demo.gateway.get(f"/v1/devices/{site_id}/history", params={"kind": "energy"}, quiet=True)
    yesterday = (date.fromisoformat(today["range"]["start"][:10]) - timedelta(days=1)).isoformat()
    query = {"kind": "energy", "period": "day", "start": yesterday}
    before = await billed_data(demo, site_id)
    first = await demo.gateway.get(f"/v1/devices/{site_id}/history", params=query)
    totals = first["energy"]["totals"]
    demo.say.facts([("time zone", first["time_zone"]), ("source", first["source"]), ("closed", first["closed"])])
    demo.say.facts((name.removesuffix("_wh") + " (kWh)", kwh(totals[name])) for name in FLOWS)
    require(first["closed"] is True, f"yesterday should be a closed range: {first['range']}")
    require(bool(totals["solar_wh"]), f"a whole day of the simulated site should have had some sun: {totals}")
    demo.say.note("a closed day never changes: asked again, it comes from the gateway's store, and Tesla is not asked")
    again = await demo.gateway.get(f"/v1/devices/{site_id}/history", params=query)
    calls = await billed_data(demo, site_id) - before
    demo.say.facts([("source", again["source"]), ("data calls billed for both reads", calls)])
    require(again["source"] == "cache", f"the second read should come from the store, not {again['source']}")
    require(calls == 1, f"both reads should have cost one data call, not {calls}")
    demo.say.ok("one billed read for a day that no longer changes")


def kwh(wh: int | None) -> str:
    return "none" if wh is None else f"{wh / 1000:.1f}"


async def billed_data(demo: Demo, device_id: str) -> int:
    """The device's data calls billed so far this month, as the gateway's ledger counts them."""
    usage = await demo.gateway.get("/v1/usage", quiet=True)
    for connection in usage["by_connection"]:
        for device in connection["devices"]:
            if device["device_id"] == device_id:
                return int(device["counts"]["data"])
    return 0
