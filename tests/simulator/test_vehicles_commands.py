"""REST vehicle commands: gatekeeping (names, scopes, signing, availability, limits) and the car's own answers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.simulator.factories import SimFactory

PROTOCOL_REQUIRED = (
    "Tesla Vehicle Command Protocol required, please refer to the documentation here: "
    "https://developer.tesla.com/docs/fleet-api#2023-10-09-rest-api-vehicle-commands-endpoint-deprecation-warning"
)
CHARGING_ONLY = "openid offline_access vehicle_device_data vehicle_charging_cmds"


async def command(
    sim: httpx.AsyncClient, setup: dict[str, Any], name: str, body: Any = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    path = f"{setup['base']}/vehicles/{setup['vehicle']['vin']}/command/{name}"
    return await sim.post(path, json=body if body is not None else {}, headers=headers or setup["headers"])


async def answer(sim: httpx.AsyncClient, setup: dict[str, Any], name: str, body: Any = None) -> dict[str, Any]:
    response = await command(sim, setup, name, body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["response"]
    return result


async def section(sim: httpx.AsyncClient, setup: dict[str, Any], name: str) -> dict[str, Any]:
    path = f"{setup['base']}/vehicles/{setup['vehicle']['vin']}/vehicle_data?endpoints={name}"
    response = await sim.get(path, headers=setup["headers"])
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["response"]
    return result


async def inspect(sim: httpx.AsyncClient, setup: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = (await sim.get(f"/sim/vehicles/{setup['vehicle']['vin']}")).json()
    return result


async def another_car(factory: SimFactory, setup: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The same account and token, with one more vehicle."""
    vehicle = await factory.vehicle(setup["account"]["id"], command_signing="allowed", **fields)
    return {**setup, "vehicle": vehicle}


@pytest.fixture
async def car(factory: SimFactory) -> dict[str, Any]:
    """A car that takes REST commands, parked and not plugged in."""
    return await factory.setup(command_signing="allowed")


class TestGatekeeping:
    async def test_unknown_command_is_400_invalid_command(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        for name in ("launch_rocket", "wake_up"):  # waking is its own endpoint on REST
            response = await command(sim, car, name)
            assert response.status_code == 400
            assert response.json()["error"] == "invalid_command"

    async def test_car_requiring_signed_commands_refuses_rest_with_tesla_text(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="required")
        response = await command(sim, setup, "honk_horn")
        assert response.status_code == 403
        assert response.json()["error"] == PROTOCOL_REQUIRED
        assert response.json()["response"] is None
        assert (await inspect(sim, setup))["executed_commands"] == []

    async def test_navigation_request_still_goes_over_rest_to_a_signing_car(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="required")
        body = {"type": "share_ext_content_raw", "value": {"android.intent.extra.TEXT": "1 Main St"}, "locale": "en"}
        assert await answer(sim, setup, "navigation_request", body) == {"result": True, "reason": "", "queued": True}

    @pytest.mark.parametrize("signing", ["allowed", "off"])
    async def test_allowed_and_off_cars_take_rest_commands(
        self, factory: SimFactory, sim: httpx.AsyncClient, signing: str
    ) -> None:
        setup = await factory.setup(command_signing=signing)
        assert await answer(sim, setup, "door_unlock") == {"result": True, "reason": ""}
        assert (await section(sim, setup, "closures_state"))["vehicle_state"]["locked"] is False

    async def test_charging_only_token_can_charge_but_not_unlock(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=40, scopes=CHARGING_ONLY)
        assert await answer(sim, setup, "charge_start") == {"result": True, "reason": ""}
        refused = await command(sim, setup, "door_unlock")
        assert refused.status_code == 403
        assert refused.json()["error"] == "Unauthorized missing scopes"
        assert "vehicle_cmds" in refused.json()["error_description"]

    async def test_commands_scope_alone_can_charge(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(
            command_signing="allowed", plugged_in=True, battery_level=40, scopes="openid vehicle_cmds"
        )
        assert (await answer(sim, setup, "charge_start"))["result"] is True

    async def test_asleep_car_is_408_and_the_command_is_billed(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="allowed", state="asleep")
        response = await command(sim, setup, "honk_horn")
        assert response.status_code == 408
        assert response.json()["error"] == "vehicle unavailable: vehicle is offline or asleep"
        assert (await sim.get("/sim/usage")).json()["totals"]["commands"] == 1
        assert (await inspect(sim, setup))["executed_commands"] == []

    async def test_thirty_a_minute_then_429(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        first = await command(sim, car, "flash_lights")
        assert first.headers["RateLimit-Limit"] == "30"
        for _ in range(29):
            assert (await command(sim, car, "flash_lights")).status_code == 200
        refused = await command(sim, car, "flash_lights")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0

    async def test_body_that_is_not_a_json_object_is_400(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        path = f"{car['base']}/vehicles/{car['vehicle']['vin']}/command/set_charge_limit"
        response = await sim.post(path, content=b"percent=80", headers=car["headers"])
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_request"

    async def test_empty_body_is_no_params(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        path = f"{car['base']}/vehicles/{car['vehicle']['vin']}/command/honk_horn"
        response = await sim.post(path, headers=car["headers"])
        assert response.status_code == 200


class TestRecording:
    async def test_each_command_is_recorded_with_its_caller_and_answer(
        self, car: dict[str, Any], sim: httpx.AsyncClient
    ) -> None:
        await answer(sim, car, "charge_stop")
        await answer(sim, car, "set_sentry_mode", {"on": True})
        executed = (await inspect(sim, car))["executed_commands"]
        assert [(c["name"], c["via"], c["result"], c["reason"]) for c in executed] == [
            ("charge_stop", "rest", False, "not_charging"),
            ("set_sentry_mode", "rest", True, ""),
        ]
        assert executed[1]["params"] == {"on": True}
        assert {c["client_id"] for c in executed} == {car["app"]["client_id"]}

    async def test_a_command_counts_as_activity(
        self, car: dict[str, Any], factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        await factory.advance(800)
        await answer(sim, car, "honk_horn")
        await factory.advance(800)
        assert (await inspect(sim, car))["state"] == "online"


class TestParameters:
    async def test_missing_param_is_400_in_the_proxy_shape(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        response = await command(sim, car, "set_temps", {"driver_temp": 21})
        assert response.status_code == 400
        assert response.json() == {"response": {"result": False, "reason": "missing passenger_temp param"}}
        assert (await inspect(sim, car))["executed_commands"] == []

    @pytest.mark.parametrize(
        ("name", "body", "reason"),
        [
            ("set_charge_limit", {"percent": "lots"}, "invalid percent param"),
            ("set_sentry_mode", {"on": "maybe"}, "invalid on param"),
            ("actuate_trunk", {"which_trunk": "side"}, "invalid which_trunk param"),
            ("set_scheduled_charging", {"enable": True, "time": 1440}, "invalid time param"),
            ("set_scheduled_charging", {"enable": True}, "missing time param"),
            ("set_charging_amps", {}, "missing charging_amps param"),
            ("set_climate_keeper_mode", {"climate_keeper_mode": 7}, "invalid climate_keeper_mode param"),
        ],
    )
    async def test_invalid_params(
        self, car: dict[str, Any], sim: httpx.AsyncClient, name: str, body: dict[str, Any], reason: str
    ) -> None:
        response = await command(sim, car, name, body)
        assert response.status_code == 400
        assert response.json()["response"] == {"result": False, "reason": reason}


class TestChargingRules:
    async def test_charge_start_refusals(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        unplugged = await factory.setup(command_signing="allowed")
        assert await answer(sim, unplugged, "charge_start") == {"result": False, "reason": "disconnected"}
        full = await another_car(factory, unplugged, plugged_in=True, battery_level=80)
        assert await answer(sim, full, "charge_start") == {"result": False, "reason": "complete"}
        charging = await another_car(factory, unplugged, charging=True, battery_level=40)
        assert await answer(sim, charging, "charge_start") == {"result": False, "reason": "is_charging"}

    async def test_charge_start_and_stop(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=40)
        assert await answer(sim, setup, "charge_stop") == {"result": False, "reason": "not_charging"}
        assert (await answer(sim, setup, "charge_start"))["result"] is True
        assert (await section(sim, setup, "charge_state"))["charge_state"]["charging_state"] == "Charging"
        assert (await answer(sim, setup, "charge_stop"))["result"] is True
        assert (await section(sim, setup, "charge_state"))["charge_state"]["charging_state"] == "Stopped"

    async def test_set_charge_limit(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        assert await answer(sim, car, "set_charge_limit", {"percent": 90}) == {"result": True, "reason": ""}
        assert (await section(sim, car, "charge_state"))["charge_state"]["charge_limit_soc"] == 90
        assert await answer(sim, car, "set_charge_limit", {"percent": 90}) == {"result": False, "reason": "already_set"}
        # Out of range still answers success (Tesla's documented quirk); the car keeps within 50-100.
        assert (await answer(sim, car, "set_charge_limit", {"percent": 120}))["result"] is True
        assert (await section(sim, car, "charge_state"))["charge_state"]["charge_limit_soc"] == 100
        assert (await answer(sim, car, "set_charge_limit", {"percent": 10}))["result"] is True
        assert (await section(sim, car, "charge_state"))["charge_state"]["charge_limit_soc"] == 50

    async def test_max_range_and_standard(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        assert await answer(sim, car, "charge_standard") == {"result": False, "reason": "already_started"}
        assert (await answer(sim, car, "charge_max_range"))["result"] is True
        charge = (await section(sim, car, "charge_state"))["charge_state"]
        assert (charge["charge_limit_soc"], charge["max_range_charge_counter"]) == (100, 1)
        assert (await answer(sim, car, "charge_standard"))["result"] is True
        assert (await section(sim, car, "charge_state"))["charge_state"]["charge_limit_soc"] == 80

    async def test_charging_amps_are_bounded_by_the_request_max(
        self, car: dict[str, Any], sim: httpx.AsyncClient
    ) -> None:
        assert (await answer(sim, car, "set_charging_amps", {"charging_amps": 16}))["result"] is True
        assert (await section(sim, car, "charge_state"))["charge_state"]["charge_current_request"] == 16
        assert (await answer(sim, car, "set_charging_amps", {"charging_amps": 80}))["result"] is True
        charge = (await section(sim, car, "charge_state"))["charge_state"]
        assert charge["charge_amps"] == charge["charge_current_request_max"] == 48

    async def test_charge_port_door(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(command_signing="allowed")
        assert await answer(sim, setup, "charge_port_door_close") == {"result": False, "reason": "already closed"}
        assert (await answer(sim, setup, "charge_port_door_open"))["result"] is True
        assert (await answer(sim, setup, "charge_port_door_open"))["result"] is True  # already open: still fine
        assert (await section(sim, setup, "charge_state"))["charge_state"]["charge_port_door_open"] is True
        assert (await answer(sim, setup, "charge_port_door_close"))["result"] is True
        assert (await section(sim, setup, "charge_state"))["charge_state"]["charge_port_door_open"] is False
        plugged = await another_car(factory, setup, plugged_in=True)
        assert await answer(sim, plugged, "charge_port_door_close") == {"result": False, "reason": "cable connected"}

    async def test_set_scheduled_charging_shows_in_charge_state(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=40)
        assert (await answer(sim, setup, "set_scheduled_charging", {"enable": True, "time": 120}))["result"] is True
        charge = (await section(sim, setup, "charge_state"))["charge_state"]
        assert charge["scheduled_charging_mode"] == "StartAt"
        assert charge["scheduled_charging_pending"] is True
        assert charge["scheduled_charging_start_time_app"] == 120
        assert charge["scheduled_charging_start_time"] % 86400 == 120 * 60
        assert (await answer(sim, setup, "set_scheduled_charging", {"enable": False}))["result"] is True
        charge = (await section(sim, setup, "charge_state"))["charge_state"]
        assert (charge["scheduled_charging_mode"], charge["scheduled_charging_pending"]) == ("Off", False)

    async def test_charge_schedules(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        schedule = {
            "days_of_week": "All",
            "enabled": True,
            "start_enabled": True,
            "end_enabled": False,
            "start_time": 60,
            "lat": 37.49,
            "lon": -121.94,
        }
        assert (await answer(sim, car, "add_charge_schedule", schedule))["result"] is True
        stored = (await section(sim, car, "charge_schedule_data"))["charge_schedule_data"]["charge_schedules"]
        assert [(s["start_time"], s["days_of_week"]) for s in stored] == [(60, 127)]  # Tesla's bitmask: every day
        assert (await answer(sim, car, "remove_charge_schedule", {"id": stored[0]["id"]}))["result"] is True
        assert (await section(sim, car, "charge_schedule_data"))["charge_schedule_data"]["charge_schedules"] == []


class TestBodyAndCabinRules:
    async def test_locks(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await answer(sim, car, "door_unlock")
        assert (await section(sim, car, "vehicle_state"))["vehicle_state"]["locked"] is False
        await answer(sim, car, "door_lock")
        assert (await section(sim, car, "vehicle_state"))["vehicle_state"]["locked"] is True

    async def test_trunks(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        assert (await answer(sim, car, "actuate_trunk", {"which_trunk": "front"}))["result"] is True
        assert (await answer(sim, car, "actuate_trunk", {"which_trunk": "rear"}))["result"] is True
        state = (await section(sim, car, "vehicle_state"))["vehicle_state"]
        assert (state["ft"], state["rt"]) == (1, 1)
        # The frunk cannot be closed remotely; the powered liftgate can.
        await answer(sim, car, "actuate_trunk", {"which_trunk": "front"})
        await answer(sim, car, "actuate_trunk", {"which_trunk": "rear"})
        state = (await section(sim, car, "vehicle_state"))["vehicle_state"]
        assert (state["ft"], state["rt"]) == (1, 0)

    async def test_honk_and_flash_when_parked(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        for name in ("honk_horn", "flash_lights", "remote_start_drive"):
            assert await answer(sim, car, name) == {"result": True, "reason": ""}
        assert (await section(sim, car, "vehicle_state"))["vehicle_state"]["remote_start"] is True

    async def test_sentry_mode(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await answer(sim, car, "set_sentry_mode", {"on": True})
        assert (await section(sim, car, "vehicle_state"))["vehicle_state"]["sentry_mode"] is True
        await answer(sim, car, "set_sentry_mode", {"on": False})
        assert (await section(sim, car, "vehicle_state"))["vehicle_state"]["sentry_mode"] is False

    async def test_climate_on_off_and_temperatures(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await answer(sim, car, "auto_conditioning_start")
        await answer(sim, car, "set_temps", {"driver_temp": 23.5, "passenger_temp": 40})
        climate = (await section(sim, car, "climate_state"))["climate_state"]
        assert climate["is_climate_on"] is True
        assert (climate["driver_temp_setting"], climate["passenger_temp_setting"]) == (23.5, 28.0)
        await answer(sim, car, "auto_conditioning_stop")
        assert (await section(sim, car, "climate_state"))["climate_state"]["is_climate_on"] is False

    async def test_climate_keeper_mode(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await answer(sim, car, "set_climate_keeper_mode", {"climate_keeper_mode": 2})
        climate = (await section(sim, car, "climate_state"))["climate_state"]
        assert (climate["climate_keeper_mode"], climate["is_climate_on"]) == ("dog", True)
        await answer(sim, car, "set_climate_keeper_mode", {"climate_keeper_mode": 0})
        climate = (await section(sim, car, "climate_state"))["climate_state"]
        assert (climate["climate_keeper_mode"], climate["is_climate_on"]) == ("off", False)

    async def test_windows_media_and_name(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        await answer(sim, car, "window_control", {"command": "vent", "lat": 0, "lon": 0})
        await answer(sim, car, "media_toggle_playback")
        await answer(sim, car, "set_vehicle_name", {"vehicle_name": "Blue Thunder"})
        state = (await section(sim, car, "vehicle_state"))["vehicle_state"]
        assert state["fd_window"] == state["rp_window"] == 1
        assert state["media_info"]["media_playback_status"] == "Playing"
        assert state["vehicle_name"] == "Blue Thunder"
        summary = await sim.get(f"{car['base']}/vehicles/{car['vehicle']['vin']}", headers=car["headers"])
        assert summary.json()["response"]["display_name"] == "Blue Thunder"

    async def test_homelink_is_not_supported(self, car: dict[str, Any], sim: httpx.AsyncClient) -> None:
        body = {"lat": 37.49, "lon": -121.94}
        assert await answer(sim, car, "trigger_homelink", body) == {"result": False, "reason": "not_supported"}
