"""Every Fleet API endpoint the product uses, called through `FleetApi` against the simulator."""

from __future__ import annotations

import httpx
import pytest

from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import CommandRefused
from fleetgate.tesla.fleet import FleetSession, StaticToken
from tests.simulator.factories import SimFactory
from tests.tesla.support import connect, patch_vehicle, vehicle_state


class TestVehicles:
    async def test_vehicles_follows_every_page(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        for _ in range(100):
            await factory.vehicle(env.account["id"])
        vehicles = await env.api.vehicles()
        assert len(vehicles) == 101
        assert len({v["vin"] for v in vehicles}) == 101
        assert env.session.calls == 2

    async def test_vehicle_and_vehicle_data_with_endpoints(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, battery_level=55)
        summary = await env.api.vehicle(env.vin)
        assert summary["vin"] == env.vin
        assert summary["state"] == "online"
        data = await env.api.vehicle_data(env.vin, ["charge_state", "climate_state"])
        assert data["charge_state"]["battery_level"] == 55
        assert "climate_state" in data
        assert "drive_state" not in data
        located = await env.api.vehicle_data(env.vin, ["location_data"])
        assert "latitude" in located["drive_state"]
        with pytest.raises(ValueError, match="unknown vehicle_data endpoints"):
            await env.api.vehicle_data(env.vin, ["everything"])

    async def test_wake_up_wakes_an_asleep_car(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, state="asleep")
        assert (await env.api.wake_up(env.vin))["state"] == "asleep"  # waking takes a few seconds
        await factory.advance(30)
        assert (await env.api.vehicle(env.vin))["state"] == "online"

    async def test_rest_commands_run_on_a_car_that_takes_them(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, sim: httpx.AsyncClient
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, command_signing="allowed")
        assert await env.api.command(env.vin, "set_charge_limit", {"percent": 70}) == {"result": True, "reason": ""}
        assert (await vehicle_state(sim, env.vin))["charge_limit_soc"] == 70
        with pytest.raises(CommandRefused) as refused:
            await env.api.command(env.vin, "set_charge_limit", {"percent": 70})
        assert refused.value.reason == "already_set"
        await env.api.command(env.vin, "door_unlock")
        assert (await vehicle_state(sim, env.vin))["locked"] is False

    async def test_fleet_status_reports_paired_and_unpaired_vins(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        other = await factory.vehicle(env.account["id"])
        status = await env.api.fleet_status([env.vin, other["vin"]])
        assert status["key_paired_vins"] == [env.vin]
        assert status["unpaired_vins"] == [other["vin"]]
        assert status["vehicle_info"][env.vin]["vehicle_command_protocol_required"] is True


class TestUsersAndProducts:
    async def test_me_region_and_products(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, region="eu")
        site = await factory.energy_site(env.account["id"])
        assert (await env.api.me())["email"] == env.account["email"]
        assert await env.api.user_region() == {"region": "eu", "fleet_api_base_url": endpoints.base_url("eu")}
        products = await env.api.products()
        assert {p.get("vin") for p in products if "vin" in p} == {env.vin}
        assert {p.get("energy_site_id") for p in products if "energy_site_id" in p} == {site["energy_site_id"]}


class TestEnergy:
    async def test_site_info_live_status_and_history(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        site_id = (await factory.energy_site(env.account["id"], site_name="Home"))["energy_site_id"]
        info = await env.api.site_info(site_id)
        assert info["site_name"] == "Home"
        assert info["backup_reserve_percent"] == 20
        live = await env.api.live_status(site_id)
        assert {"solar_power", "battery_power", "load_power", "grid_power", "percentage_charged"} <= set(live)
        energy = await env.api.calendar_history(site_id, kind="energy", period="day")
        assert energy["period"] == "day"
        assert isinstance(energy["time_series"], list)
        backup = await env.api.calendar_history(site_id, kind="backup", period="lifetime")
        assert isinstance(backup["events"], list)

    async def test_energy_commands_change_the_site(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, sim: httpx.AsyncClient
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        site_id = (await factory.energy_site(env.account["id"]))["energy_site_id"]
        commands = [
            ("backup", {"backup_reserve_percent": 35}),
            ("operation", {"default_real_mode": "autonomous"}),
            ("storm_mode", {"enabled": True}),
            ("grid_import_export", {"customer_preferred_export_rule": "battery_ok"}),
            ("off_grid_vehicle_charging_reserve", {"off_grid_vehicle_charging_reserve_percent": 40}),
        ]
        for endpoint, body in commands:
            assert await env.api.energy_command(site_id, endpoint, body) == {"code": 201, "message": "Updated"}
        site = (await sim.get(f"/sim/energy_sites/{site_id}")).json()
        assert site["backup_reserve_percent"] == 35
        assert site["operation_mode"] == "autonomous"
        assert site["storm_mode_enabled"] is True
        assert site["customer_preferred_export_rule"] == "battery_ok"
        assert site["off_grid_vehicle_charging_reserve_percent"] == 40
        with pytest.raises(ValueError, match="unknown energy command"):
            await env.api.energy_command(site_id, "self_destruct", {})


class TestPartnerEndpoints:
    async def test_the_public_key_registered_for_a_domain(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        from fleetgate.protocol.keys import public_key_bytes
        from fleetgate.tesla.oauth import OAuthClient

        app = await factory.app()
        oauth = OAuthClient(tesla_http, endpoints, app["client_id"], app["client_secret"])
        partner = await oauth.partner_token(audience=endpoints.base_url("na"))
        api = FleetApi(FleetSession(tesla_http, endpoints, StaticToken(partner.access_token), "na"))
        answer = await api.partner_public_key("app.example.com")
        assert answer["public_key"] == public_key_bytes(app["private_key"]).hex()


class TestSleepingCarRead:
    async def test_a_car_that_fell_asleep_is_not_woken_by_a_state_check(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, sim: httpx.AsyncClient
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        await patch_vehicle(sim, env.vin, state="asleep")
        assert (await env.api.vehicle(env.vin))["state"] == "asleep"
        assert (await vehicle_state(sim, env.vin))["state"] == "asleep"
