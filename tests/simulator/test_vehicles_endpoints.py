"""The vehicle endpoints: lookup, `vehicle_data` sections and location, availability, billing and rate limits."""

from __future__ import annotations

from typing import Any

import httpx

from tests.simulator.factories import SimFactory

DATA_ONLY = "openid offline_access vehicle_device_data"


async def data(sim: httpx.AsyncClient, setup: dict[str, Any], query: str = "", **kwargs: Any) -> httpx.Response:
    vin = setup["vehicle"]["vin"]
    return await sim.get(f"{setup['base']}/vehicles/{vin}/vehicle_data{query}", headers=setup["headers"], **kwargs)


async def usage_of(sim: httpx.AsyncClient, setup: dict[str, Any]) -> dict[str, int]:
    report = (await sim.get("/sim/usage")).json()
    client = report["clients"].get(setup["app"]["client_id"], {"devices": {}})
    devices: dict[str, dict[str, int]] = client["devices"]
    return devices.get(setup["vehicle"]["vin"], {"data": 0, "commands": 0, "wakes": 0})


class TestGetVehicle:
    async def test_by_vin_and_by_id_give_the_summary_with_its_state(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(state="asleep")
        vehicle = setup["vehicle"]
        for tag in (vehicle["vin"], str(vehicle["id"])):
            response = await sim.get(f"{setup['base']}/vehicles/{tag}", headers=setup["headers"])
            assert response.status_code == 200
            body = response.json()["response"]
            assert body["vin"] == vehicle["vin"]
            assert body["id"] == vehicle["id"]
            assert body["id_s"] == str(vehicle["id"])
            assert body["state"] == "asleep"
            assert body["command_signing"] == "required"

    async def test_another_accounts_car_is_not_found(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        stranger = await factory.account(email="stranger@example.com")
        theirs = await factory.vehicle(stranger["id"])
        for tag in (theirs["vin"], str(theirs["id"]), "5YJ3E1EA0ZZ000000"):
            response = await sim.get(f"{setup['base']}/vehicles/{tag}", headers=setup["headers"])
            assert response.status_code == 404
            assert response.json()["error"] == "not_found"
            assert response.json()["response"] is None

    async def test_needs_vehicle_device_data(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid offline_access vehicle_cmds")
        response = await sim.get(f"{setup['base']}/vehicles/{setup['vehicle']['vin']}", headers=setup["headers"])
        assert response.status_code == 403
        assert response.json()["error"] == "Unauthorized missing scopes"

    async def test_is_neither_billed_nor_rate_limited_and_does_not_wake(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(state="asleep")
        path = f"{setup['base']}/vehicles/{setup['vehicle']['vin']}"
        for _ in range(70):
            response = await sim.get(path, headers=setup["headers"])
            assert response.status_code == 200
            assert "RateLimit-Limit" not in response.headers
        assert response.json()["response"]["state"] == "asleep"
        assert (await sim.get("/sim/usage")).json()["totals"] == {
            "data": 0,
            "commands": 0,
            "wakes": 0,
            "streaming_signals": 0,
        }


class TestVehicleDataSections:
    async def test_without_endpoints_every_section_but_location(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(battery_level=77)
        response = await data(sim, setup)
        assert response.status_code == 200
        body = response.json()["response"]
        assert body["vin"] == setup["vehicle"]["vin"]
        assert body["state"] == "online"
        for section in ("charge_state", "climate_state", "drive_state", "gui_settings", "vehicle_config"):
            assert isinstance(body[section]["timestamp"], int)
        assert body["charge_state"]["battery_level"] == 77
        assert "latitude" not in body["drive_state"]
        assert "heading" not in body["drive_state"]
        state = body["vehicle_state"]
        assert state["car_version"].startswith(setup["vehicle"]["firmware"] + " ")
        assert state["vehicle_name"] == setup["vehicle"]["display_name"]
        assert state["odometer"] == setup["vehicle"]["odometer"]
        assert (state["locked"], state["sentry_mode"], state["ft"], state["rt"]) == (True, False, 0, 0)

    async def test_fields_follow_tesla_types_and_units(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(battery_level=50, plugged_in=True)
        body = (await data(sim, setup)).json()["response"]
        charge = body["charge_state"]
        assert charge["charging_state"] == "Stopped"
        assert charge["battery_range"] == 155.0  # miles: half of a 310-mile pack
        assert charge["charge_port_latch"] == "Engaged"
        assert charge["charge_port_door_open"] is True
        assert charge["charge_limit_soc"] == 80
        assert isinstance(charge["battery_level"], int)
        assert charge["scheduled_charging_mode"] == "Off"
        climate = body["climate_state"]
        assert climate["inside_temp"] == 19.5  # °C
        assert (climate["min_avail_temp"], climate["max_avail_temp"]) == (15.0, 28.0)
        assert climate["is_climate_on"] is False
        # timestamps are epoch milliseconds of simulated time
        now = (await sim.get("/sim/clock")).json()["now"]
        assert abs(charge["timestamp"] - now * 1000) < 5_000

    async def test_vehicle_tag_may_be_the_id(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        path = f"{setup['base']}/vehicles/{setup['vehicle']['id']}/vehicle_data"
        response = await sim.get(path, headers=setup["headers"])
        assert response.status_code == 200
        assert response.json()["response"]["vin"] == setup["vehicle"]["vin"]

    async def test_endpoints_filter_the_sections(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        for query in ("?endpoints=charge_state%3Bclimate_state", "?endpoints=charge_state;climate_state"):
            body = (await data(sim, setup, query)).json()["response"]
            assert "charge_state" in body
            assert "climate_state" in body
            for absent in ("drive_state", "gui_settings", "vehicle_config", "vehicle_state"):
                assert absent not in body
            assert body["vin"] == setup["vehicle"]["vin"]

    async def test_closures_state_alone_gives_the_closures(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        body = (await data(sim, setup, "?endpoints=closures_state")).json()["response"]
        assert body["vehicle_state"]["locked"] is True
        assert body["vehicle_state"]["ft"] == 0
        assert "car_version" not in body["vehicle_state"]
        assert "charge_state" not in body

    async def test_schedule_sections_only_on_request(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        assert "charge_schedule_data" not in (await data(sim, setup)).json()["response"]
        query = "?endpoints=charge_schedule_data%3Bpreconditioning_schedule_data"
        body = (await data(sim, setup, query)).json()["response"]
        assert body["charge_schedule_data"]["charge_schedules"] == []
        assert body["preconditioning_schedule_data"]["precondition_schedules"] == []

    async def test_vehicle_data_combo_is_the_default_set(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        body = (await data(sim, setup, "?endpoints=vehicle_data_combo")).json()["response"]
        assert {"charge_state", "climate_state", "drive_state", "vehicle_state"} <= body.keys()

    async def test_unknown_endpoint_is_400_invalid_field(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        response = await data(sim, setup, "?endpoints=charge_state%3Bbogus_state")
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_field"
        assert "bogus_state" in response.json()["error_description"]

    async def test_needs_vehicle_device_data(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid vehicle_cmds vehicle_location")
        response = await data(sim, setup)
        assert response.status_code == 403
        assert response.json()["error"] == "Unauthorized missing scopes"


class TestLocation:
    async def test_location_only_when_requested(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        body = (await data(sim, setup, "?endpoints=location_data")).json()["response"]
        drive = body["drive_state"]
        assert (drive["latitude"], drive["longitude"]) == (setup["vehicle"]["latitude"], setup["vehicle"]["longitude"])
        assert isinstance(drive["heading"], int)
        assert "charge_state" not in body
        both = (await data(sim, setup, "?endpoints=drive_state%3Blocation_data")).json()["response"]
        assert "latitude" in both["drive_state"]
        plain = (await data(sim, setup, "?endpoints=drive_state")).json()["response"]
        assert "latitude" not in plain["drive_state"]

    async def test_requesting_location_without_the_scope_is_403_naming_it(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(scopes=DATA_ONLY)
        response = await data(sim, setup, "?endpoints=charge_state%3Blocation_data")
        assert response.status_code == 403
        assert response.json()["error"] == "Unauthorized missing scopes"
        assert "vehicle_location" in response.json()["error_description"]
        assert (await data(sim, setup)).status_code == 200  # without the request, no location and no refusal


class TestAvailabilityAndBilling:
    async def test_asleep_car_is_408_and_the_408_is_billed(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(state="asleep")
        response = await data(sim, setup)
        assert response.status_code == 408
        assert response.json()["error"] == "vehicle unavailable: vehicle is offline or asleep"
        assert (await usage_of(sim, setup))["data"] == 1

    async def test_offline_car_is_408(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(state="offline")
        assert (await data(sim, setup)).status_code == 408

    async def test_a_5xx_is_not_billed(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        vin = setup["vehicle"]["vin"]
        await sim.post("/sim/faults", json={"path": "/vehicle_data", "vin": vin, "status": 503, "count": 1})
        assert (await data(sim, setup)).status_code == 503
        assert (await usage_of(sim, setup))["data"] == 0
        assert (await data(sim, setup)).status_code == 200
        assert (await usage_of(sim, setup))["data"] == 1

    async def test_mobile_access_disabled_is_401(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        await sim.patch(f"/sim/vehicles/{setup['vehicle']['vin']}", json={"mobile_access_disabled": True})
        response = await data(sim, setup)
        assert response.status_code == 401
        assert response.json()["error"] == "mobile_access_disabled"


class TestDataRateLimit:
    async def test_success_carries_ratelimit_headers(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        response = await data(sim, setup)
        assert response.headers["RateLimit-Limit"] == "60"
        assert response.headers["RateLimit-Remaining"] == "59"
        assert int(response.headers["RateLimit-Reset"]) > 0

    async def test_sixty_a_minute_then_429_until_the_window_passes(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup()
        for _ in range(60):
            assert (await data(sim, setup)).status_code == 200
        refused = await data(sim, setup)
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        assert refused.headers["RateLimit-Remaining"] == "0"
        await factory.advance(61)
        assert (await data(sim, setup)).status_code == 200
