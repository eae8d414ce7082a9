"""`PUT/GET/DELETE /v1/devices/{id}/telemetry` against the simulator: the config signed and posted as Tesla's proxy
posts it, pending until the car (online) takes it, checked by the background pass; Tesla's skips and fleetgate's
own refusals as errors with their remedies; a config gone at Tesla noticed as `removed`."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from fleetgate.config import Settings
from fleetgate.infra.models import Device, TelemetryConfig, TelemetryRecord
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.jobs.telemetry_checks import check_pass
from fleetgate.jobs.telemetry_renewals import renewal_pass
from fleetgate.protocol.telemetry.certificates import CertificateAuthority
from fleetgate.protocol.telemetry.jws import sign_fleet_message
from tests.gateway.conftest import APP_DOMAIN
from tests.gateway.flows import Connector
from tests.simulator.factories import SimFactory

RECEIVER = "telemetry.gateway.test"
NOW = timedelta(0)


@pytest.fixture
def gateway_settings(gateway_settings: Settings, tmp_path: Path) -> Settings:
    ca = tmp_path / "receiver-ca.pem"
    ca.write_bytes(CertificateAuthority.create("Receiver CA").cert_pem)
    return gateway_settings.model_copy(
        update={
            "telemetry_hostname": RECEIVER,
            "telemetry_public_port": 8443,
            "telemetry_ca_chain_path": ca,
            "telemetry_check_interval_seconds": 0,
        }
    )


async def put(api: httpx.AsyncClient, device_id: str, body: dict[str, Any]) -> httpx.Response:
    return await api.put(f"/v1/devices/{device_id}/telemetry", json=body)


async def configured(api: httpx.AsyncClient, device_id: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await put(api, device_id, body)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def read(api: httpx.AsyncClient, device_id: str) -> dict[str, Any]:
    response = await api.get(f"/v1/devices/{device_id}/telemetry")
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


async def on_car(sim: httpx.AsyncClient, vin: str) -> list[dict[str, Any]]:
    response = await sim.get(f"/sim/vehicles/{vin}/telemetry_configs")
    assert response.status_code == 200, response.text
    configs: list[dict[str, Any]] = response.json()["data"]
    return configs


async def set_state(sim: httpx.AsyncClient, vin: str, state: str) -> None:
    response = await sim.patch(f"/sim/vehicles/{vin}", json={"state": state})
    assert response.status_code == 200, response.text


async def events(api: httpx.AsyncClient, event_type: str) -> list[dict[str, Any]]:
    response = await api.get("/v1/events", params={"type": event_type})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


async def other_apps_config(
    sim: httpx.AsyncClient, factory: SimFactory, account_id: str, vin: str, domain: str
) -> None:
    """Another application's config on the car, as that application posts it."""
    app = await factory.app(domain=domain)
    await factory.pair(vin, app["public_key_pem"])
    tokens = await factory.tokens(app["client_id"], account_id)
    config = {
        "hostname": f"telemetry.{domain}",
        "port": 443,
        "ca": CertificateAuthority.create("Other CA").cert_pem.decode(),
        "fields": {"BatteryLevel": {"interval_seconds": 60}},
        "exp": int(time.time()) + 86400,
    }
    body = {"vins": [vin], "token": sign_fleet_message(app["private_key"], config)}
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    response = await sim.post("/na/api/1/vehicles/fleet_telemetry_config_jws", json=body, headers=headers)
    assert response.json()["response"]["updated_vehicles"] == 1, response.text


async def stored_record(runtime: Runtime, device_id: str, created_at: datetime) -> None:
    """A record of the car's as the receiver stores it (the receiver's own tests cover how it gets there)."""
    async with runtime.sessionmaker() as session, session.begin():
        device = await session.get(Device, device_id)
        assert device is not None
        session.add(
            TelemetryRecord(
                id=new_id("tlm"),
                workspace_id=device.workspace_id,
                connection_id=device.connection_id,
                device_id=device.id,
                topic="V",
                created_at=created_at,
                signals=1,
            )
        )


async def data_calls(sim: httpx.AsyncClient, client_id: str, vin: str) -> int:
    """The app's billed data requests about the car (a config check is two)."""
    usage = (await sim.get("/sim/usage")).json()
    devices = usage["clients"].get(client_id, {}).get("devices", {})
    return int(devices.get(vin, {}).get("data", 0))


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    return error


class TestConfigure:
    async def test_the_config_is_posted_pending_and_synced_once_the_car_is_online(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        linked = await connect(vehicles=[{"state": "asleep"}], paired=True)
        vehicle = linked.vehicle
        body = {"fields": ["battery_level_pct", "charging_state", "plugged_in", "location"], "interval_seconds": 300}
        answer = await configured(api, vehicle.id, body)
        assert answer["status"] == "pending"
        assert answer["hostname"] == RECEIVER
        assert answer["port"] == 8443
        assert answer["fields"]["battery_level_pct"] == {
            "tesla_field": "BatteryLevel",
            "interval_seconds": 300,
            "minimum_delta": 1,
        }
        assert answer["fields"]["location"]["minimum_delta"] == 50

        [config] = await on_car(sim, vehicle.external_id)
        assert config["hostname"] == RECEIVER
        assert config["port"] == 8443  # an integer, as cars need it
        assert config["delivery_policy"] == "latest"
        assert config["ca"].startswith("-----BEGIN CERTIFICATE-----")
        # charging_state and plugged_in are one Tesla field: the car sends it once.
        assert config["fields"] == {
            "BatteryLevel": {"interval_seconds": 300, "minimum_delta": 1},
            "DetailedChargeState": {"interval_seconds": 300},
            "Location": {"interval_seconds": 300, "minimum_delta": 50},
        }
        assert config["synced"] is False

        assert await check_pass(gateway_runtime, pending_every=NOW) == {}
        assert (await read(api, vehicle.id))["status"] == "pending"

        await set_state(sim, vehicle.external_id, "online")
        assert await check_pass(gateway_runtime, pending_every=NOW) == {vehicle.id: "synced"}
        after = await read(api, vehicle.id)
        assert after["status"] == "synced"
        assert after["synced_at"] is not None
        assert after["checked_at"] is not None
        [event] = await events(api, "telemetry.synced")
        assert event["data"]["device_id"] == vehicle.id
        assert event["data"]["status"] == "synced"

    async def test_fields_may_set_their_own_interval_and_delta(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        body = {
            "fields": {"battery_level_pct": {"minimum_delta": 5}, "inside_temp_c": {"interval_seconds": 600}},
            "freshness_seconds": 120,
            "alert_types": ["service"],
        }
        answer = await configured(api, vehicle.id, body)
        assert answer["alert_types"] == ["service"]
        [config] = await on_car(sim, vehicle.external_id)
        assert config["fields"] == {
            "BatteryLevel": {"interval_seconds": 120, "minimum_delta": 5},
            "InsideTemp": {"interval_seconds": 600, "minimum_delta": 0.5},
        }
        assert config["alert_types"] == ["service"]
        assert answer["estimate"]["polling"]["freshness_seconds"] == 120

    async def test_the_answer_estimates_the_cost_beside_polling(
        self, api: httpx.AsyncClient, connect: Connector
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        answer = await configured(api, vehicle.id, {"fields": ["battery_level_pct"], "interval_seconds": 300})
        estimate = answer["estimate"]
        # 3 wakes, then 12 an hour (the interval's cap) for 1 h driving and 2 h charging.
        assert estimate["fields"] == [{"tesla_field": "BatteryLevel", "signals_per_day": 39.0}]
        assert estimate["signals_per_day"] == 39.0
        assert estimate["usd_per_day"] == round(39 / 150_000, 6)
        assert estimate["polling"] == {
            "freshness_seconds": 300,
            "requests_per_day": 288.0,
            "usd_per_day": 0.576,
            "usd_per_month": 17.28,
        }
        assert estimate["assumptions"]
        assert (await read(api, vehicle.id))["estimate"] == estimate

    async def test_a_new_config_replaces_the_last_one(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        await configured(api, vehicle.id, {"fields": ["battery_level_pct"]})
        answer = await configured(api, vehicle.id, {"fields": ["odometer_km"]})
        assert list(answer["fields"]) == ["odometer_km"]
        [config] = await on_car(sim, vehicle.external_id)
        assert list(config["fields"]) == ["Odometer"]


class TestRefusals:
    async def test_unknown_fields_are_named_with_the_valid_ones(
        self, api: httpx.AsyncClient, connect: Connector
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        response = await put(api, vehicle.id, {"fields": ["battery_level_pct", "warp_drive", "flux"]})
        error = error_of(response, 422, "validation_error")
        assert error["unknown_fields"] == ["flux", "warp_drive"]
        assert "battery_level_pct" in error["remedy"]["valid_fields"]

    async def test_both_an_interval_and_a_freshness_is_refused(
        self, api: httpx.AsyncClient, connect: Connector
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        body = {"fields": ["locked"], "interval_seconds": 60, "freshness_seconds": 60}
        error_of(await put(api, vehicle.id, body), 422, "validation_error")

    async def test_location_fields_need_the_location_access(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector
    ) -> None:
        vehicle = (await connect(paired=True, grant=["vehicle_data"])).vehicle
        error = error_of(await put(api, vehicle.id, {"fields": ["location"]}), 403, "insufficient_scope")
        assert error["remedy"]["missing_access"] == ["vehicle_location"]
        assert "location" in error["message"]
        assert await on_car(sim, vehicle.external_id) == []
        await configured(api, vehicle.id, {"fields": ["battery_level_pct"]})

    async def test_streaming_needs_vehicle_data(self, api: httpx.AsyncClient, connect: Connector) -> None:
        vehicle = (await connect(paired=True, grant=["vehicle_location"])).vehicle
        error = error_of(await put(api, vehicle.id, {"fields": ["location"]}), 403, "insufficient_scope")
        assert error["remedy"]["missing_access"] == ["vehicle_data"]
        device = (await api.get(f"/v1/devices/{vehicle.id}")).json()
        assert device["capabilities"]["telemetry"]["reason"] == "missing_scope"

    async def test_a_car_known_to_lack_the_key_is_refused_before_tesla(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector
    ) -> None:
        # Commands would not need the key on this car; streaming does.
        vehicle = (await connect(vehicles=[{"command_signing": "allowed"}])).vehicle
        device = (await api.get(f"/v1/devices/{vehicle.id}")).json()
        assert device["capabilities"]["telemetry"]["reason"] == "virtual_key_not_paired"
        error = error_of(await put(api, vehicle.id, {"fields": ["locked"]}), 409, "virtual_key_not_paired")
        assert error["remedy"]["action"] == "pair_virtual_key"
        assert "retry_with" not in error["remedy"]
        assert await on_car(sim, vehicle.external_id) == []

    async def test_teslas_missing_key_skip_gives_the_pairing_remedy(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        removed = await sim.delete(f"/sim/vehicles/{vehicle.external_id}/keys")
        assert removed.status_code == 200, removed.text
        error = error_of(await put(api, vehicle.id, {"fields": ["locked"]}), 409, "virtual_key_not_paired")
        assert error["remedy"]["pairing_url"].endswith(f"vin={vehicle.external_id}")
        assert error["device_id"] == vehicle.id
        not_found = await api.get(f"/v1/devices/{vehicle.id}/telemetry")
        error_of(not_found, 404, "telemetry_not_configured")

    async def test_software_tesla_said_is_too_old_is_refused_before_tesla(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector
    ) -> None:
        vehicle = (await connect(vehicles=[{"firmware": "2024.20.1"}], paired=True)).vehicle
        device = (await api.get(f"/v1/devices/{vehicle.id}")).json()
        capability = device["capabilities"]["telemetry"]
        assert capability["reason"] == "unsupported_firmware"
        assert capability["remedy"]["action"] == "update_software"
        error = error_of(await put(api, vehicle.id, {"fields": ["locked"]}), 409, "telemetry_unsupported_firmware")
        assert error["firmware"] == "2024.20.1"
        assert error["remedy"]["action"] == "update_software"
        assert await on_car(sim, vehicle.external_id) == []

    async def test_software_too_old_for_minimum_delta_is_skipped_by_tesla(
        self, api: httpx.AsyncClient, connect: Connector
    ) -> None:
        # Streams (2024.26 and later), but minimum_delta needs 2024.44.32: Tesla skips the car.
        vehicle = (await connect(vehicles=[{"firmware": "2024.38.7"}], paired=True)).vehicle
        error = error_of(
            await put(api, vehicle.id, {"fields": ["battery_level_pct"]}), 409, "telemetry_unsupported_firmware"
        )
        assert error["remedy"]["action"] == "update_software"
        # Without a delta the same car takes it.
        await configured(api, vehicle.id, {"fields": ["locked"]})

    async def test_a_car_streaming_to_five_other_apps_is_skipped_with_the_limit_remedy(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector, factory: SimFactory
    ) -> None:
        linked = await connect(paired=True)
        vehicle = linked.vehicle
        for n in range(5):
            await other_apps_config(sim, factory, linked.account.id, vehicle.external_id, f"app{n}.example.com")
        error = error_of(await put(api, vehicle.id, {"fields": ["locked"]}), 409, "telemetry_config_limit")
        assert error["remedy"]["action"] == "remove_other_app"
        assert "five" in error["remedy"]["note"]

    async def test_a_config_tesla_refuses_names_the_operators_fix(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector, tesla_app: dict[str, Any]
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        # The key Tesla holds for the app is no longer this deployment's: the config's signature does not verify.
        stranger = ec.generate_private_key(ec.SECP256R1()).public_key()
        pem = stranger.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        registered = await sim.post(
            f"/sim/apps/{tesla_app['client_id']}/partner_accounts",
            json={"domain": APP_DOMAIN, "public_key": pem.decode()},
        )
        assert registered.status_code == 201, registered.text

        error = error_of(await put(api, vehicle.id, {"fields": ["locked"]}), 502, "telemetry_config_refused")
        assert "FLEETGATE_TELEMETRY_" in error["remedy"]["note"]
        assert "fleetgate partner register" in error["remedy"]["note"]
        assert (await api.get(f"/v1/devices/{vehicle.id}/telemetry")).status_code == 404

    async def test_an_energy_site_has_no_telemetry(self, api: httpx.AsyncClient, connect: Connector) -> None:
        site = (await connect(vehicles=[], energy_sites=1)).energy_site
        error_of(await put(api, site.id, {"fields": ["locked"]}), 404, "not_found")

    async def test_another_workspaces_vehicle_is_not_found(
        self, api: httpx.AsyncClient, connect: Connector, other_tenant: Any
    ) -> None:
        vehicle = (await connect(paired=True, tenant=other_tenant)).vehicle
        error_of(await put(api, vehicle.id, {"fields": ["locked"]}), 404, "not_found")


class TestAtTesla:
    async def test_a_config_removed_at_tesla_is_noticed(
        self,
        api: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        connect: Connector,
        gateway_runtime: Runtime,
        tesla_app: dict[str, Any],
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        await configured(api, vehicle.id, {"fields": ["battery_level_pct"]})
        assert await check_pass(gateway_runtime, pending_every=NOW) == {vehicle.id: "synced"}
        dropped = await sim.delete(f"/sim/vehicles/{vehicle.external_id}/telemetry_configs/{tesla_app['client_id']}")
        assert dropped.status_code == 200, dropped.text
        # A synced config is checked less often: not due yet, then due.
        assert await check_pass(gateway_runtime, pending_every=NOW) == {}
        assert await check_pass(gateway_runtime, synced_every=NOW) == {vehicle.id: "removed"}
        assert (await read(api, vehicle.id))["status"] == "removed"
        [event] = await events(api, "telemetry.removed")
        assert event["data"]["status"] == "removed"
        # Nothing more to ask Tesla about.
        assert await check_pass(gateway_runtime, pending_every=NOW, synced_every=NOW) == {}

    async def test_a_synced_config_whose_car_streams_is_not_asked_about(
        self,
        api: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        connect: Connector,
        gateway_runtime: Runtime,
        tesla_app: dict[str, Any],
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        await configured(api, vehicle.id, {"fields": ["battery_level_pct"]})
        assert await check_pass(gateway_runtime, pending_every=NOW) == {vehicle.id: "synced"}
        dropped = await sim.delete(f"/sim/vehicles/{vehicle.external_id}/telemetry_configs/{tesla_app['client_id']}")
        assert dropped.status_code == 200, dropped.text
        await stored_record(gateway_runtime, vehicle.id, datetime.now(UTC))
        async with gateway_runtime.sessionmaker() as session, session.begin():
            row = await session.get(TelemetryConfig, vehicle.id)
            assert row is not None
            row.checked_at = datetime.now(UTC) - timedelta(hours=2)  # due a check by its time
        calls_before = await data_calls(sim, tesla_app["client_id"], vehicle.external_id)

        # The car streamed since: its config is there, as far as anyone can tell, and Tesla is not asked (or paid).
        assert await check_pass(gateway_runtime, synced_every=timedelta(hours=1)) == {}
        assert await data_calls(sim, tesla_app["client_id"], vehicle.external_id) == calls_before
        # Silent for longer than the interval: asked again, and the removal noticed.
        assert await check_pass(gateway_runtime, synced_every=NOW) == {vehicle.id: "removed"}

    async def test_an_error_tesla_reports_fails_the_config(
        self,
        api: httpx.AsyncClient,
        sim: httpx.AsyncClient,
        connect: Connector,
        gateway_runtime: Runtime,
        tesla_app: dict[str, Any],
    ) -> None:
        vehicle = (await connect(vehicles=[{"state": "asleep"}], paired=True)).vehicle
        await configured(api, vehicle.id, {"fields": ["battery_level_pct"]})
        message = "error loading config file: crypto/ecdsa: verification error"
        reported = await sim.post(
            f"/sim/vehicles/{vehicle.external_id}/telemetry_errors",
            json={"client_id": tesla_app["client_id"], "error": message},
        )
        assert reported.status_code == 201, reported.text
        assert await check_pass(gateway_runtime, pending_every=NOW) == {vehicle.id: "failed"}
        after = await read(api, vehicle.id)
        assert after["status"] == "failed"
        assert after["error"]["name"] == "config_manager_error"
        assert after["error"]["message"] == message
        [event] = await events(api, "telemetry.failed")
        assert event["data"]["error"]["message"] == message

    async def test_a_config_near_its_expiry_is_posted_again(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector, gateway_runtime: Runtime
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        first = await configured(api, vehicle.id, {"fields": ["battery_level_pct"]})
        assert await check_pass(gateway_runtime, pending_every=NOW) == {vehicle.id: "synced"}
        assert await renewal_pass(gateway_runtime) == []

        expires_at = datetime.fromisoformat(first["expires_at"])
        assert await renewal_pass(gateway_runtime, now=expires_at - timedelta(days=13)) == [vehicle.id]
        renewed = await read(api, vehicle.id)
        assert renewed["status"] == "pending"
        assert datetime.fromisoformat(renewed["expires_at"]) >= expires_at
        [config] = await on_car(sim, vehicle.external_id)
        assert config["exp"] == int(datetime.fromisoformat(renewed["expires_at"]).timestamp())
        assert await check_pass(gateway_runtime, pending_every=NOW) == {vehicle.id: "synced"}

    async def test_delete_removes_it_at_tesla_and_here(
        self, api: httpx.AsyncClient, sim: httpx.AsyncClient, connect: Connector
    ) -> None:
        vehicle = (await connect(paired=True)).vehicle
        await configured(api, vehicle.id, {"fields": ["battery_level_pct"]})
        deleted = await api.delete(f"/v1/devices/{vehicle.id}/telemetry")
        assert deleted.status_code == 204, deleted.text
        assert await on_car(sim, vehicle.external_id) == []
        error_of(await api.get(f"/v1/devices/{vehicle.id}/telemetry"), 404, "telemetry_not_configured")
        error_of(await api.delete(f"/v1/devices/{vehicle.id}/telemetry"), 404, "telemetry_not_configured")
