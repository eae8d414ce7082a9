"""Commands through the API: the catalogue, what is refused before anything is queued, and the lifecycle of
commands that succeed, are refused, or are refused harmlessly."""

from __future__ import annotations

from typing import Any

import httpx

from tests.gateway.commands_support import finished, sim_vehicle, submit
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector
from tests.gateway.test_device_state import calls

API_MD_COMMANDS = {
    "vehicle": {
        "wake_up", "charge_start", "charge_stop", "set_charge_limit", "set_charging_amps", "charge_port_door_open",
        "charge_port_door_close", "door_lock", "door_unlock", "auto_conditioning_start", "auto_conditioning_stop",
        "set_temps", "honk_horn", "flash_lights", "set_sentry_mode", "actuate_trunk", "set_scheduled_charging",
    },
    "energy_site": {
        "set_backup_reserve", "set_operation_mode", "set_storm_mode", "set_grid_import_export",
        "set_off_grid_vehicle_charging_reserve", "time_of_use_settings",
    },
}  # fmt: skip


async def listed(api: httpx.AsyncClient, device_id: str) -> list[dict[str, Any]]:
    response = await api.get(f"/v1/devices/{device_id}/commands")
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


class TestCatalog:
    async def test_every_command_of_the_contract_is_described(self, api: httpx.AsyncClient) -> None:
        response = await api.get("/v1/commands/catalog")
        assert response.status_code == 200
        entries = {entry["name"]: entry for entry in response.json()["data"]}
        for device_type, names in API_MD_COMMANDS.items():
            for name in names:
                assert entries[name]["device_type"] == device_type
        limit = entries["set_charge_limit"]
        assert limit["params_schema"]["properties"]["percent"]["minimum"] == 50
        assert limit["params_schema"]["properties"]["percent"]["maximum"] == 100
        assert limit["access"] == "vehicle_charging_commands"
        assert limit["idempotent"] is True
        assert limit["tesla"] == "POST /api/1/vehicles/{vin}/signed_command"
        assert entries["honk_horn"]["idempotent"] is False
        assert entries["actuate_trunk"]["idempotent"] is False
        assert entries["add_charge_schedule"]["idempotent"] is False  # without an id, each send adds one
        assert entries["remove_charge_schedule"]["idempotent"] is True
        assert entries["door_lock"]["access"] == "vehicle_commands"
        assert entries["set_backup_reserve"]["access"] == "energy_commands"
        assert entries["set_backup_reserve"]["tesla"] == "POST /api/1/energy_sites/{energy_site_id}/backup"
        assert entries["wake_up"]["virtual_key_required"] is False

    async def test_it_needs_an_api_key(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/v1/commands/catalog")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"

    async def test_filtered_by_device_type(self, api: httpx.AsyncClient) -> None:
        response = await api.get("/v1/commands/catalog", params={"device_type": "energy_site"})
        assert {entry["name"] for entry in response.json()["data"]} == API_MD_COMMANDS["energy_site"]


class TestRefusedBeforeQueueing:
    async def test_bad_params_unknown_commands_and_wrong_devices_are_422_and_nothing_is_sent(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant, tesla_app: dict[str, Any]
    ) -> None:
        car = (await connect(paired=True)).vehicle
        before = await calls(sim, tesla_app["client_id"])

        low = (await submit(tenant.client, car.id, "set_charge_limit", {"percent": 40}, expect=422))["error"]
        assert low["code"] == "validation_error"
        assert low["details"][0]["field"] == "params.percent"
        assert "params_schema" in low["remedy"]
        extra = await submit(tenant.client, car.id, "door_lock", {"force": True}, expect=422)
        assert extra["error"]["details"][0]["field"] == "params.force"
        unknown = (await submit(tenant.client, car.id, "self_destruct", expect=422))["error"]
        assert unknown["remedy"]["catalog_url"] == "/v1/commands/catalog"
        wrong = (await submit(tenant.client, car.id, "set_backup_reserve", {"percent": 20}, expect=422))["error"]
        assert "energy site" in wrong["message"]
        bad_wake = await submit(tenant.client, car.id, "door_lock", wake="soon", expect=422)
        assert bad_wake["error"]["code"] == "validation_error"
        schedule = await submit(tenant.client, car.id, "set_scheduled_charging", {"enable": True}, expect=422)
        assert "time is required" in schedule["error"]["details"][0]["problem"]

        assert await listed(tenant.client, car.id) == []
        assert await calls(sim, tesla_app["client_id"]) == before

    async def test_a_missing_scope_is_403_with_the_remedy_and_nothing_is_queued(
        self, connect: Connector, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True, grant=["vehicle_data"])).vehicle
        error = (await submit(tenant.client, car.id, "door_lock", expect=403))["error"]
        assert error["code"] == "insufficient_scope"
        assert error["remedy"]["missing_access"] == ["vehicle_commands"]
        assert error["remedy"]["reconnect_api_url"].endswith(f"/v1/connections/{car.linked.connection_id}/reconnect")
        assert "revoke_client_id" in error["remedy"]["manage_access_url"]
        charging = (await submit(tenant.client, car.id, "charge_start", expect=403))["error"]
        assert charging["remedy"]["missing_access"] == ["vehicle_charging_commands"]
        assert await listed(tenant.client, car.id) == []

    async def test_charging_commands_need_only_the_charging_access(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect(paired=True, grant=["vehicle_data", "vehicle_charging_commands"])).vehicle
        done = await finished(tenant.client, car.id, "set_charge_limit", {"percent": 70})
        assert done["status"] == "succeeded", done
        assert (await submit(tenant.client, car.id, "door_lock", expect=403))["error"]["code"] == "insufficient_scope"

    async def test_another_workspaces_devices_and_commands_are_not_found(
        self, connect: Connector, tenant: Tenant, other_tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        done = await finished(tenant.client, car.id, "door_lock")
        assert (await submit(other_tenant.client, car.id, "door_lock", expect=404))["error"]["code"] == "not_found"
        assert (await other_tenant.client.get(f"/v1/commands/{done['id']}")).status_code == 404
        assert (await other_tenant.client.post(f"/v1/commands/{done['id']}/cancel")).status_code == 404
        assert (await other_tenant.client.get(f"/v1/devices/{car.id}/commands")).status_code == 404
        assert (await other_tenant.client.get("/v1/commands")).json()["data"] == []


class TestLifecycle:
    async def test_a_signed_command_succeeds_and_changes_the_car(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        assert (await sim.patch(f"/sim/vehicles/{car.external_id}", json={"locked": False})).status_code == 200
        queued = await submit(tenant.client, car.id, "door_lock")
        assert queued["status"] == "queued"
        assert queued["attempts"] == 0
        assert queued["device_id"] == car.id
        assert queued["connection_id"] == car.linked.connection_id
        done = await finished(tenant.client, car.id, "set_temps", {"driver_temp": 21.5, "passenger_temp": 20})
        locked = (await tenant.client.get(f"/v1/commands/{queued['id']}")).json()
        for result in (locked, done):
            assert result["status"] == "succeeded", result
            assert result["error"] is None
            assert result["attempts"] == 1
            assert result["created_at"] <= result["started_at"] <= result["completed_at"]
        truth = await sim_vehicle(sim, car.external_id)
        assert truth["locked"] is True
        assert (truth["driver_temp_setting"], truth["passenger_temp_setting"]) == (21.5, 20)
        executed = [(entry["name"], entry["via"], entry["result"]) for entry in truth["executed_commands"]]
        assert executed == [("door_lock", "signed", True), ("set_temps", "signed", True)]
        newest_first = [done["id"], queued["id"]]
        assert [item["id"] for item in await listed(tenant.client, car.id)] == newest_first
        succeeded = (await tenant.client.get("/v1/commands", params={"status": "succeeded"})).json()["data"]
        assert len(succeeded) == 2

    async def test_a_refusal_fails_with_the_cars_reason(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect(vehicles=[{"plugged_in": False}], paired=True)).vehicle
        done = await finished(tenant.client, car.id, "charge_start")
        assert done["status"] == "failed"
        assert done["reason"] == "disconnected"
        assert done["error"]["code"] == "command_refused"
        assert "disconnected" in done["error"]["message"]
        assert done["attempts"] == 1

    async def test_a_harmless_refusal_succeeds_and_keeps_the_reason(self, connect: Connector, tenant: Tenant) -> None:
        car = (await connect(paired=True)).vehicle
        first = await finished(tenant.client, car.id, "set_charge_limit", {"percent": 85})
        again = await finished(tenant.client, car.id, "set_charge_limit", {"percent": 85})
        assert (first["status"], first["reason"]) == ("succeeded", None)
        assert (again["status"], again["reason"]) == ("succeeded", "already_set")
        assert again["error"] is None

    async def test_a_car_without_the_protocol_takes_rest_commands(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        car = (await connect(vehicles=[{"command_signing": "off"}])).vehicle
        done = await finished(tenant.client, car.id, "flash_lights")
        assert done["status"] == "succeeded", done
        truth = await sim_vehicle(sim, car.external_id)
        assert [(entry["name"], entry["via"]) for entry in truth["executed_commands"]] == [("flash_lights", "rest")]

    async def test_energy_commands_change_the_site(
        self, connect: Connector, sim: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        reserve = await finished(tenant.client, site.id, "set_backup_reserve", {"percent": 35})
        mode = await finished(tenant.client, site.id, "set_operation_mode", {"mode": "backup"})
        storm = await finished(tenant.client, site.id, "set_storm_mode", {"enabled": True})
        export = await finished(
            tenant.client, site.id, "set_grid_import_export", {"customer_preferred_export_rule": "never"}
        )
        off_grid = await finished(tenant.client, site.id, "set_off_grid_vehicle_charging_reserve", {"percent": 60})
        for done in (reserve, mode, storm, export, off_grid):
            assert done["status"] == "succeeded", done
        truth = (await sim.get(f"/sim/energy_sites/{site.external_id}")).json()
        assert truth["backup_reserve_percent"] == 35
        assert truth["operation_mode"] == "backup"
        assert truth["storm_mode_enabled"] is True
        assert truth["customer_preferred_export_rule"] == "never"
        assert truth["off_grid_vehicle_charging_reserve_percent"] == 60
        bad = await submit(tenant.client, site.id, "set_operation_mode", {"mode": "turbo"}, expect=422)
        assert bad["error"]["details"][0]["field"] == "params.mode"
        assert (await submit(tenant.client, site.id, "door_lock", expect=422))["error"]["code"] == "validation_error"
