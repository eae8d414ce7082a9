"""How a car changes as simulated time passes: charging, climate, scheduled charging, sleep around them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.simulator.factories import SimFactory

# The default car: 75 kWh pack; 32 A x 240 V x 1 phase = 7.68 kW at the wall.
PACK_KWH = 75.0
CHARGER_KW = 7.68


async def inspect(sim: httpx.AsyncClient, setup: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = (await sim.get(f"/sim/vehicles/{setup['vehicle']['vin']}")).json()
    return result


async def charge_state(sim: httpx.AsyncClient, setup: dict[str, Any]) -> dict[str, Any]:
    path = f"{setup['base']}/vehicles/{setup['vehicle']['vin']}/vehicle_data?endpoints=charge_state"
    response = await sim.get(path, headers=setup["headers"])
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["response"]["charge_state"]
    return result


async def send(sim: httpx.AsyncClient, setup: dict[str, Any], name: str, body: dict[str, Any] | None = None) -> None:
    path = f"{setup['base']}/vehicles/{setup['vehicle']['vin']}/command/{name}"
    response = await sim.post(path, json=body or {}, headers=setup["headers"])
    assert response.status_code == 200, response.text
    assert response.json()["response"]["result"] is True, response.text


class TestCharging:
    async def test_battery_rises_at_the_charger_power(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=50)
        await send(sim, setup, "charge_start")
        charge = await charge_state(sim, setup)
        assert (charge["charger_power"], charge["charger_voltage"], charge["charger_actual_current"]) == (8, 240, 32)
        assert charge["minutes_to_full_charge"] == pytest.approx(30 / 100 * PACK_KWH / CHARGER_KW * 60, abs=1)
        await factory.advance(3600)
        car = await inspect(sim, setup)
        assert car["battery_level"] == pytest.approx(50 + CHARGER_KW / PACK_KWH * 100, abs=0.05)
        assert car["charge_energy_added"] == pytest.approx(CHARGER_KW, abs=0.01)
        assert car["charging_state"] == "Charging"
        charge = await charge_state(sim, setup)
        assert charge["battery_level"] == 60
        assert charge["charge_miles_added_rated"] > 0
        assert charge["time_to_full_charge"] == pytest.approx(charge["minutes_to_full_charge"] / 60, abs=0.01)

    async def test_charging_power_follows_the_requested_amps(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=50)
        await send(sim, setup, "set_charging_amps", {"charging_amps": 16})
        await send(sim, setup, "charge_start")
        await factory.advance(3600)
        assert (await inspect(sim, setup))["charge_energy_added"] == pytest.approx(CHARGER_KW / 2, abs=0.01)

    async def test_stops_at_the_limit_with_complete(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=50)
        await send(sim, setup, "charge_start")
        await factory.advance(2.5 * 3600)  # about 2.93 h are needed
        assert (await inspect(sim, setup))["charging_state"] == "Charging"
        await factory.advance(0.5 * 3600)
        car = await inspect(sim, setup)
        assert (car["charging_state"], car["battery_level"]) == ("Complete", 80)
        assert car["charge_energy_added"] == pytest.approx(0.30 * PACK_KWH, abs=0.01)
        assert car["state"] == "online"  # charging kept it awake; it finished minutes ago
        charge = await charge_state(sim, setup)
        assert (charge["charger_power"], charge["minutes_to_full_charge"]) == (0, 0)

    async def test_raising_the_limit_of_a_complete_car_resumes_charging(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=79.9)
        await send(sim, setup, "charge_start")
        await factory.advance(60)
        assert (await inspect(sim, setup))["charging_state"] == "Complete"
        await send(sim, setup, "set_charge_limit", {"percent": 90})
        assert (await inspect(sim, setup))["charging_state"] == "Charging"

    async def test_car_sleeps_an_idle_period_after_charging_completes(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=78)
        await send(sim, setup, "charge_start")  # 2% of 75 kWh at 7.68 kW: about 12 minutes
        await factory.advance(12 * 60 + 850)
        assert (await inspect(sim, setup))["state"] == "online"
        await factory.advance(60)
        car = await inspect(sim, setup)
        assert (car["state"], car["charging_state"]) == ("asleep", "Complete")

    async def test_unplugging_stops_charging(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=50)
        await send(sim, setup, "charge_start")
        await sim.patch(f"/sim/vehicles/{setup['vehicle']['vin']}", json={"plugged_in": False})
        level = (await inspect(sim, setup))["battery_level"]
        await factory.advance(1800)
        car = await inspect(sim, setup)
        assert (car["charging_state"], car["battery_level"]) == ("Disconnected", level)

    async def test_plugging_in_again_starts_a_new_session(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=50)
        await send(sim, setup, "charge_start")
        await factory.advance(600)
        vin = setup["vehicle"]["vin"]
        await sim.patch(f"/sim/vehicles/{vin}", json={"plugged_in": False})
        await sim.patch(f"/sim/vehicles/{vin}", json={"plugged_in": True})
        car = await inspect(sim, setup)
        assert (car["charging_state"], car["charge_energy_added"]) == ("Stopped", 0.0)


class TestClimate:
    async def test_cabin_moves_toward_the_setting_and_keeps_the_car_awake(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="allowed")
        await send(sim, setup, "set_temps", {"driver_temp": 22, "passenger_temp": 22})
        await send(sim, setup, "auto_conditioning_start")
        await factory.advance(120)
        partway = (await inspect(sim, setup))["inside_temp"]
        assert 19.5 < partway < 22
        await factory.advance(1800)
        car = await inspect(sim, setup)
        assert car["inside_temp"] == pytest.approx(22, abs=0.1)
        assert car["state"] == "online"

    async def test_without_climate_the_cabin_drifts_toward_outside(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup()
        await factory.advance(6 * 3600)
        car = await inspect(sim, setup)
        assert 12.0 <= car["inside_temp"] < 13.0


class TestScheduledCharging:
    async def test_starts_at_the_scheduled_minute_waking_the_car(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=40)
        now = (await sim.get("/sim/clock")).json()["now"]
        start = (int(now // 60) + 30) % 1440  # UTC minute of the day, half an hour from now
        await send(sim, setup, "set_scheduled_charging", {"enable": True, "time": start})
        charge = await charge_state(sim, setup)
        assert charge["scheduled_charging_pending"] is True
        assert charge["scheduled_charging_start_time"] == (int(now // 60) + 30) * 60
        await factory.advance(25 * 60)
        car = await inspect(sim, setup)
        assert (car["state"], car["charging_state"]) == ("asleep", "Stopped")  # idle for 15 minutes, waiting
        await factory.advance(6 * 60)
        car = await inspect(sim, setup)
        assert (car["state"], car["charging_state"]) == ("online", "Charging")
        assert car["battery_level"] > 40

    async def test_enabling_a_schedule_while_charging_makes_the_car_wait(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="allowed", charging=True, battery_level=40)
        now = (await sim.get("/sim/clock")).json()["now"]
        start = (int(now // 60) + 120) % 1440
        await send(sim, setup, "set_scheduled_charging", {"enable": True, "time": start})
        assert (await inspect(sim, setup))["charging_state"] == "Stopped"

    async def test_unplugged_car_does_not_start(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(command_signing="allowed", battery_level=40)
        now = (await sim.get("/sim/clock")).json()["now"]
        await send(sim, setup, "set_scheduled_charging", {"enable": True, "time": (int(now // 60) + 5) % 1440})
        await factory.advance(3600)
        car = await inspect(sim, setup)
        assert (car["charging_state"], car["battery_level"]) == ("Disconnected", 40)

    async def test_a_long_jump_gives_the_same_result_as_small_steps(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(command_signing="allowed", plugged_in=True, battery_level=40)
        now = (await sim.get("/sim/clock")).json()["now"]
        await send(sim, setup, "set_scheduled_charging", {"enable": True, "time": (int(now // 60) + 10) % 1440})
        await factory.advance(2 * 86400)  # starts, completes at 80%, sleeps; the next day's start finds it full
        car = await inspect(sim, setup)
        assert (car["state"], car["charging_state"], car["battery_level"]) == ("asleep", "Complete", 80)
