"""`POST /{region}/api/1/vehicles/fleet_status`: which cars carry this app's virtual key, and what they can do."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fleetgate.simulator.envelope import MISSING_SCOPES
from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory


async def fleet_status(sim: httpx.AsyncClient, env: dict[str, Any], body: Any) -> httpx.Response:
    return await sim.post(f"{env['base']}/vehicles/fleet_status", json=body, headers=env["headers"])


class TestPairedVins:
    async def test_paired_and_unpaired(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await factory.setup()
        paired = env["vehicle"]["vin"]
        unpaired = (await factory.vehicle(env["account"]["id"]))["vin"]
        await factory.pair(paired, env["app"]["public_key_pem"])
        response = await fleet_status(sim, env, {"vins": [paired, unpaired]})
        assert response.status_code == 200
        body = response.json()["response"]
        assert body["key_paired_vins"] == [paired]
        assert body["unpaired_vins"] == [unpaired]
        assert set(body["vehicle_info"]) == {paired, unpaired}

    async def test_only_this_apps_registered_key_counts(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await factory.setup()
        other = await factory.app(domain="other.example.com")
        await factory.pair(env["vehicle"]["vin"], other["public_key_pem"])
        body = (await fleet_status(sim, env, {"vins": [env["vehicle"]["vin"]]})).json()["response"]
        assert body["key_paired_vins"] == []
        assert body["unpaired_vins"] == [env["vehicle"]["vin"]]

    async def test_an_inactive_key_is_not_paired(
        self, factory: SimFactory, sim: httpx.AsyncClient, world: World
    ) -> None:
        env = await factory.setup()
        vin = env["vehicle"]["vin"]
        await factory.pair(vin, env["app"]["public_key_pem"])
        response = await sim.patch(
            f"/sim/vehicles/{vin}/keys", json={"public_key": env["app"]["public_key_pem"], "active": False}
        )
        assert response.status_code == 200, response.text
        body = (await fleet_status(sim, env, {"vins": [vin]})).json()["response"]
        assert body["unpaired_vins"] == [vin]

    async def test_vins_not_on_the_account_are_in_neither_list(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        env = await factory.setup()
        stranger = await factory.account(email="stranger@example.com")
        theirs = (await factory.vehicle(stranger["id"]))["vin"]
        await factory.pair(theirs, env["app"]["public_key_pem"])
        body = (await fleet_status(sim, env, {"vins": [theirs, "5YJ3E1EA0KF999999"]})).json()["response"]
        assert body == {"key_paired_vins": [], "unpaired_vins": [], "vehicle_info": {}}


class TestVehicleInfo:
    async def test_fields(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await factory.setup(firmware="2024.44.25")
        vin = env["vehicle"]["vin"]
        await factory.pair(vin, env["app"]["public_key_pem"])
        info = (await fleet_status(sim, env, {"vins": [vin]})).json()["response"]["vehicle_info"][vin]
        assert info == {
            "firmware_version": "2024.44.25",
            "vehicle_command_protocol_required": True,
            "fleet_telemetry_version": "1.0.0",
            "total_number_of_keys": 2,  # the owner's phone and this app
            "discounted_device_data": False,
            "safety_screen_streaming_toggle_enabled": None,
        }

    @pytest.mark.parametrize(("signing", "required"), [("required", True), ("allowed", False), ("off", False)])
    async def test_protocol_required(
        self, factory: SimFactory, sim: httpx.AsyncClient, signing: str, required: bool
    ) -> None:
        env = await factory.setup(command_signing=signing)
        vin = env["vehicle"]["vin"]
        info = (await fleet_status(sim, env, {"vins": [vin]})).json()["response"]["vehicle_info"][vin]
        assert info["vehicle_command_protocol_required"] is required

    async def test_discount_flag_only_for_a_single_vin(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await factory.setup()
        second = (await factory.vehicle(env["account"]["id"]))["vin"]
        info = (await fleet_status(sim, env, {"vins": [env["vehicle"]["vin"], second]})).json()["response"][
            "vehicle_info"
        ]
        assert all("discounted_device_data" not in entry for entry in info.values())


class TestAccess:
    @pytest.mark.parametrize("scopes", ["openid user_data", "openid energy_device_data energy_cmds"])
    async def test_needs_a_vehicle_scope(self, factory: SimFactory, sim: httpx.AsyncClient, scopes: str) -> None:
        env = await factory.setup(scopes=scopes)
        response = await fleet_status(sim, env, {"vins": [env["vehicle"]["vin"]]})
        assert response.status_code == 403
        assert response.json()["error"] == MISSING_SCOPES

    @pytest.mark.parametrize(
        "scope", ["vehicle_device_data", "vehicle_location", "vehicle_cmds", "vehicle_charging_cmds"]
    )
    async def test_any_vehicle_scope_will_do(self, factory: SimFactory, sim: httpx.AsyncClient, scope: str) -> None:
        env = await factory.setup(scopes=f"openid {scope}")
        assert (await fleet_status(sim, env, {"vins": [env["vehicle"]["vin"]]})).status_code == 200

    async def test_not_billed(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await factory.setup()
        await fleet_status(sim, env, {"vins": [env["vehicle"]["vin"]]})
        usage = (await sim.get("/sim/usage")).json()
        assert usage["totals"] == {"data": 0, "commands": 0, "wakes": 0, "streaming_signals": 0}

    async def test_works_on_an_asleep_car(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await factory.setup(state="asleep")
        assert (await fleet_status(sim, env, {"vins": [env["vehicle"]["vin"]]})).status_code == 200

    @pytest.mark.parametrize("body", [[], {}, {"vins": "5YJ3"}, {"vins": []}, {"vins": [1, 2]}])
    async def test_bad_body_is_400(self, factory: SimFactory, sim: httpx.AsyncClient, body: Any) -> None:
        env = await factory.setup()
        assert (await fleet_status(sim, env, body)).status_code == 400

    async def test_body_that_is_not_json_is_400(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await factory.setup()
        response = await sim.post(f"{env['base']}/vehicles/fleet_status", content=b"vins", headers=env["headers"])
        assert response.status_code == 400
