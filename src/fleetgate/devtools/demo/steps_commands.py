"""Steps 4 to 7: reading the car and the Powerwall, a command refused before queueing for the virtual key, pairing
it, and an energy command."""

from __future__ import annotations

from typing import Any

from fleetgate.devtools.demo.api import require
from fleetgate.devtools.demo.context import Demo
from fleetgate.devtools.demo.end_user import approve_key
from fleetgate.devtools.demo.steps_connect import model_of

CAR_FIELDS = (
    "online_state",
    "battery_level_pct",
    "battery_range_km",
    "charging_state",
    "charge_limit_pct",
    "plugged_in",
    "locked",
    "inside_temp_c",
    "odometer_km",
    "location",
)
SITE_FIELDS = (
    "battery_level_pct",
    "solar_power_w",
    "battery_power_w",
    "grid_power_w",
    "load_power_w",
    "grid_status",
    "backup_reserve_pct",
    "operation_mode",
)
BACKUP_RESERVE = 30


async def read_car_and_powerwall(demo: Demo) -> None:
    demo.say.step(4, f"Read the {model_of(demo, 'paired')} and the Powerwall")
    car = await read_state(demo, demo.devices["paired"], CAR_FIELDS)
    require(car["data"].get("battery_level_pct") is not None, f"the car's state has no battery level: {car['data']}")
    demo.say.note("the same read again is served from the stored state, with its age:")
    again = await read_state(demo, demo.devices["paired"], ())
    require(again["source"] == "cache", f"a second read at once should come from the cache, not {again['source']}")
    site = await read_state(demo, demo.devices["site"], SITE_FIELDS)
    require(site["data"].get("backup_reserve_pct") is not None, f"the site's state has no backup reserve: {site}")


async def command_refused_for_the_key(demo: Demo) -> None:
    demo.say.step(5, f"door_lock on the {model_of(demo, 'unpaired')}, which lacks the app's virtual key")
    demo.say.note(
        "Tesla said at the link that this car lacks the key, so the car would refuse the command, and only after a "
        "billed wake (the seed left it asleep): the gateway refuses it before it is queued"
    )
    car_id = demo.devices["unpaired"]
    billed_before = (await demo.gateway.get("/v1/usage", quiet=True))["totals"]
    answer = await demo.gateway.call("POST", f"/v1/devices/{car_id}/commands", {"command": "door_lock"}, expect=409)
    error = answer["error"]
    remedy = error.get("remedy") or {}
    demo.say.facts([("error", error.get("code")), ("message", error.get("message"))])
    require(error.get("code") == "virtual_key_not_paired", f"the error should be virtual_key_not_paired: {error}")
    pairing_url = str(remedy.get("pairing_url") or "")
    require(pairing_url.startswith("http"), f"the error's remedy has no pairing link: {error}")
    demo.say.facts(
        [
            ("remedy: pairing link", pairing_url),
            ("remedy: then ask Tesla again (POST)", remedy.get("check_url")),
            ("remedy: or try anyway with", remedy.get("retry_with")),
        ]
    )
    queued = (await demo.gateway.get(f"/v1/devices/{car_id}/commands", quiet=True))["data"]
    billed_after = (await demo.gateway.get("/v1/usage", quiet=True))["totals"]
    billed = {category: billed_after[category] - billed_before[category] for category in ("data", "commands", "wakes")}
    demo.say.facts([("commands queued", len(queued)), ("billed calls since", billed)])
    require(not queued, f"nothing should have been queued: {queued}")
    require(not any(billed.values()), f"nothing should have been billed: {billed}")
    device = await demo.device("unpaired")
    commands = device["capabilities"]["commands"]
    demo.say.facts([("virtual_key.paired", device["virtual_key"]["paired"]), ("commands capability", commands)])
    require(device["virtual_key"]["paired"] is False, "the device should say its key is not paired")
    require(commands.get("remedy") == remedy, f"the capability's remedy should be the refusal's: {commands}")
    demo.say.ok("refused before queueing: nothing sent, nothing woken, nothing billed")


async def pair_then_command(demo: Demo) -> None:
    demo.say.step(6, "The owner approves the key, and door_lock goes through")
    device = await demo.device("unpaired")
    await approve_key(demo.browser, device["virtual_key"]["pairing_url"], email=demo.email, say=demo.say)
    demo.say.note("the application asks Tesla whether the key is on the car now (fleet_status: free, wakes nothing)")
    checked = await demo.gateway.call("POST", f"/v1/devices/{demo.devices['unpaired']}/virtual-key/check")
    demo.say.fact("virtual_key.paired", checked["paired"])
    require(checked["paired"] is True, f"Tesla should now say the key is paired: {checked}")
    demo.say.note("the car is still asleep: the command wakes it first (a billed wake), then is sent")
    done = await demo.gateway.command(demo.devices["unpaired"], "door_lock")
    demo.say.facts([("status", done["status"]), ("reason", done["reason"])])
    require(done["status"] == "succeeded", f"door_lock should succeed once paired; it ended {done['status']}: {done}")
    demo.say.ok(f"door_lock {done['status']}")
    device = await demo.device("unpaired")
    demo.say.facts(
        [
            ("virtual_key.paired", device["virtual_key"]["paired"]),
            ("commands capability", device["capabilities"]["commands"]),
        ]
    )
    require(device["virtual_key"]["paired"] is True, "the device should now say its key is paired")


async def set_backup_reserve(demo: Demo) -> None:
    demo.say.step(7, f"Set the Powerwall's backup reserve to {BACKUP_RESERVE}%")
    done = await demo.gateway.command(demo.devices["site"], "set_backup_reserve", {"percent": BACKUP_RESERVE})
    demo.say.fact("status", done["status"])
    require(done["status"] == "succeeded", f"set_backup_reserve ended {done['status']}: {done}")
    demo.say.ok(f"set_backup_reserve {done['status']}")
    demo.say.note("read from Tesla again (max_age=0), not from the stored state:")
    site = await read_state(demo, demo.devices["site"], ("backup_reserve_pct", "operation_mode"), max_age=0)
    reserve = site["data"].get("backup_reserve_pct")
    require(reserve == BACKUP_RESERVE, f"the site's backup reserve reads {reserve}, not {BACKUP_RESERVE}")
    demo.say.ok(f"backup reserve is now {reserve:g}%")


async def read_state(
    demo: Demo, device_id: str, fields: tuple[str, ...], *, max_age: float | None = None
) -> dict[str, Any]:
    params = {"max_age": max_age} if max_age is not None else None
    state = await demo.gateway.get(f"/v1/devices/{device_id}/state", params=params)
    demo.say.facts(
        [("source", state["source"]), ("age_seconds", state["age_seconds"]), ("fetched_at", state["fetched_at"])]
    )
    demo.say.facts((name, state["data"].get(name)) for name in fields)
    return state
