"""Driving: a drive started through the control API moves the car on the simulated clock, as `vehicle_data` and the
car's telemetry signals show it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fleetgate.protocol.telemetry.records import Location
from fleetgate.simulator.auth.tokens import TokenIssuer
from fleetgate.simulator.clock import SimClock
from fleetgate.simulator.telemetry.signals import signals_of
from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory

# The default car: a Model 3 with a 75 kWh pack, parked here facing east.
START_LAT, START_LON = 37.4925, -121.9447
PACK_KWH = 75.0
MODEL_3_WH_PER_KM = 150.0
KM_PER_MILE = 1.609344
# Along a meridian the great circle is the meridian: 0.9° of latitude north is this far, each point of it exact.
NORTH = {"latitude": START_LAT + 0.9, "longitude": START_LON}
NORTH_KM = 0.9 * 6371.0088 * 3.141592653589793 / 180


@pytest.fixture
def world(token_issuer: TokenIssuer) -> World:
    """A clock that moves only when the test moves it, so that positions can be checked to the metre."""
    return World(seed=7, issuer=token_issuer, clock=SimClock(1_790_000_000.0, realtime=False))


def vin_of(setup: dict[str, Any]) -> str:
    vin: str = setup["vehicle"]["vin"]
    return vin


async def drive(sim: httpx.AsyncClient, vin: str, **body: Any) -> httpx.Response:
    return await sim.post(f"/sim/vehicles/{vin}/drive", json=body)


async def started(sim: httpx.AsyncClient, vin: str, **body: Any) -> dict[str, Any]:
    response = await drive(sim, vin, **body)
    assert response.status_code == 201, response.text
    plan: dict[str, Any] = response.json()
    return plan


async def inspect(sim: httpx.AsyncClient, vin: str) -> dict[str, Any]:
    result: dict[str, Any] = (await sim.get(f"/sim/vehicles/{vin}")).json()
    return result


async def data(sim: httpx.AsyncClient, setup: dict[str, Any]) -> dict[str, Any]:
    path = f"{setup['base']}/vehicles/{vin_of(setup)}/vehicle_data?endpoints=drive_state;location_data;vehicle_state"
    response = await sim.get(path, headers=setup["headers"])
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["response"]
    return result


class TestAlongTheWay:
    async def test_the_plan_says_where_how_far_and_when(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        now = (await sim.get("/sim/clock")).json()["now"]
        plan = await started(sim, vin_of(setup), to=NORTH, speed_kph=100)
        assert plan["driving"] is True
        assert plan["from"] == {"latitude": START_LAT, "longitude": START_LON}
        assert plan["to"] == NORTH
        assert plan["distance_km"] == pytest.approx(NORTH_KM, abs=0.001)
        assert plan["started_at"] == now
        assert plan["arrives_at"] == pytest.approx(now + NORTH_KM / 100 * 3600)
        assert plan["energy_kwh"] == pytest.approx(NORTH_KM * MODEL_3_WH_PER_KM / 1000, abs=0.001)

    async def test_halfway_vehicle_data_shows_it_moving_in_d(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(battery_level=80)
        odometer = setup["vehicle"]["odometer"]
        plan = await started(sim, vin_of(setup), to=NORTH, speed_kph=100)
        await factory.advance((plan["arrives_at"] - plan["started_at"]) / 2)

        body = await data(sim, setup)
        state = body["drive_state"]
        assert (state["shift_state"], state["speed"], state["heading"]) == ("D", 62, 0)
        assert state["power"] == 15  # 150 Wh/km at 100 km/h
        assert state["latitude"] == pytest.approx(START_LAT + 0.45, abs=1e-9)
        assert state["longitude"] == pytest.approx(START_LON, abs=1e-9)
        assert body["vehicle_state"]["odometer"] == pytest.approx(odometer + NORTH_KM / 2 / KM_PER_MILE, abs=1e-4)
        used = NORTH_KM / 2 * MODEL_3_WH_PER_KM / 1000 / PACK_KWH * 100
        assert (await inspect(sim, vin_of(setup)))["battery_level"] == pytest.approx(80 - used, abs=0.01)

    async def test_one_jump_of_the_clock_and_many_steps_put_the_car_in_the_same_place(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup()
        stepped = await factory.vehicle(setup["account"]["id"])
        to = {"latitude": 38.1, "longitude": -121.2}  # north-east: a true great circle, not a meridian
        await started(sim, vin_of(setup), to=to, speed_kph=90)
        await started(sim, stepped["vin"], to=to, speed_kph=90)
        for _ in range(20):
            await factory.advance(90)
            await inspect(sim, stepped["vin"])  # brings this car up to each step
        jumped, steps = await inspect(sim, vin_of(setup)), await inspect(sim, stepped["vin"])
        for name in ("latitude", "longitude", "odometer", "battery_level"):
            assert jumped[name] == pytest.approx(steps[name], abs=1e-9), name
        assert jumped["latitude"] != START_LAT

    async def test_a_distance_goes_straight_ahead_on_the_cars_heading(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup()
        plan = await started(sim, vin_of(setup), distance_km=10, speed_kph=60)
        assert plan["distance_km"] == pytest.approx(10, abs=0.001)
        assert plan["to"]["latitude"] == pytest.approx(START_LAT, abs=0.01)  # heading 90: east
        assert plan["to"]["longitude"] > START_LON


class TestArrival:
    async def test_arrival_parks_it_there_with_the_miles_and_the_energy_counted(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(battery_level=80)
        odometer = setup["vehicle"]["odometer"]
        plan = await started(sim, vin_of(setup), to=NORTH, speed_kph=100)
        await factory.advance(plan["arrives_at"] - plan["started_at"] + 60)

        view = (await sim.get(f"/sim/vehicles/{vin_of(setup)}/drive")).json()
        assert view["driving"] is False
        assert view["position"] == {**NORTH, "heading": 0}
        body = await data(sim, setup)
        state = body["drive_state"]
        assert (state["shift_state"], state["speed"], state["power"]) == (None, None, 0)
        assert (state["latitude"], state["longitude"]) == (NORTH["latitude"], NORTH["longitude"])
        assert body["vehicle_state"]["odometer"] == pytest.approx(odometer + NORTH_KM / KM_PER_MILE, abs=1e-4)
        used = NORTH_KM * MODEL_3_WH_PER_KM / 1000 / PACK_KWH * 100
        assert (await inspect(sim, vin_of(setup)))["battery_level"] == pytest.approx(80 - used, abs=0.01)

    async def test_parking_now_stops_it_where_it_is(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        plan = await started(sim, vin_of(setup), to=NORTH, speed_kph=100)
        await factory.advance((plan["arrives_at"] - plan["started_at"]) / 4)
        parked = (await sim.delete(f"/sim/vehicles/{vin_of(setup)}/drive")).json()
        assert parked["driving"] is False
        assert parked["position"]["latitude"] == pytest.approx(START_LAT + 0.225, abs=1e-9)
        await factory.advance(3600)
        assert (await inspect(sim, vin_of(setup)))["latitude"] == parked["position"]["latitude"]


class TestAwake:
    async def test_a_driving_car_does_not_fall_asleep_and_sleeps_after_it_parks(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup()  # idle cars sleep after 900 s
        plan = await started(sim, vin_of(setup), distance_km=300, speed_kph=100)
        await factory.advance(2 * 3600)
        assert (await inspect(sim, vin_of(setup)))["state"] == "online"
        await factory.advance(plan["arrives_at"] - plan["started_at"] - 2 * 3600 + 800)
        assert (await inspect(sim, vin_of(setup)))["state"] == "online"  # parked 800 s ago
        await factory.advance(200)
        assert (await inspect(sim, vin_of(setup)))["state"] == "asleep"

    async def test_a_drive_wakes_a_sleeping_car(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(state="asleep")
        await started(sim, vin_of(setup), distance_km=5, speed_kph=50)
        assert (await inspect(sim, vin_of(setup)))["state"] == "online"


class TestRefusals:
    async def test_a_plugged_in_car_cannot_drive(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(plugged_in=True)
        response = await drive(sim, vin_of(setup), distance_km=5, speed_kph=50)
        assert response.status_code == 409
        assert "plugged in" in response.json()["detail"]
        assert (await sim.get(f"/sim/vehicles/{vin_of(setup)}/drive")).json()["driving"] is False

    async def test_a_car_plugged_in_on_the_way_has_stopped(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        plan = await started(sim, vin_of(setup), to=NORTH, speed_kph=100)
        await factory.advance((plan["arrives_at"] - plan["started_at"]) / 2)
        await sim.patch(f"/sim/vehicles/{vin_of(setup)}", json={"plugged_in": True})
        await factory.advance(600)
        view = (await sim.get(f"/sim/vehicles/{vin_of(setup)}/drive")).json()
        assert view["driving"] is False
        assert view["position"]["latitude"] == pytest.approx(START_LAT + 0.45, abs=1e-9)

    async def test_a_drive_longer_than_the_battery_is_refused(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(battery_level=5)  # 3.75 kWh: 25 km
        response = await drive(sim, vin_of(setup), distance_km=30, speed_kph=50)
        assert response.status_code == 409
        assert "battery" in response.json()["detail"]

    @pytest.mark.parametrize(
        "body",
        [
            {"speed_kph": 50},
            {"to": NORTH, "distance_km": 5, "speed_kph": 50},
            {"to": {"latitude": START_LAT, "longitude": START_LON}, "speed_kph": 50},
            {"distance_km": 5, "speed_kph": 0},
        ],
    )
    async def test_a_drive_needs_one_destination_and_a_speed(
        self, factory: SimFactory, sim: httpx.AsyncClient, body: dict[str, Any]
    ) -> None:
        setup = await factory.setup()
        assert (await drive(sim, vin_of(setup), **body)).status_code == 422


class TestSignals:
    async def test_the_stream_sees_gear_speed_location_heading_and_odometer(
        self, factory: SimFactory, sim: httpx.AsyncClient, world: World
    ) -> None:
        setup = await factory.setup()
        names = {"Gear", "VehicleSpeed", "Location", "GpsHeading", "Odometer"}
        car = world.vehicles[vin_of(setup)]
        parked = signals_of(car, names)
        assert (parked["Gear"], parked["VehicleSpeed"]) == ("ShiftStateP", 0.0)

        plan = await started(sim, vin_of(setup), to=NORTH, speed_kph=100)
        await factory.advance((plan["arrives_at"] - plan["started_at"]) / 2)
        await inspect(sim, vin_of(setup))
        moving = signals_of(car, names)
        assert (moving["Gear"], moving["VehicleSpeed"], moving["GpsHeading"]) == ("ShiftStateD", 62.1, 0.0)
        location = moving["Location"]
        assert isinstance(location, Location)
        assert location.latitude == pytest.approx(START_LAT + 0.45, abs=1e-9)
        assert moving["Odometer"] == pytest.approx(float(parked["Odometer"]) + NORTH_KM / 2 / KM_PER_MILE, abs=0.01)
