"""The simulator's Fleet Telemetry config endpoints over HTTP: the signed config, the per-car rules, sync and errors."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from fleetgate.protocol.keys import random_private_key
from fleetgate.protocol.telemetry.jws import sign_fleet_message
from fleetgate.simulator.auth.service import revoke_consent
from fleetgate.simulator.envelope import MISSING_SCOPES
from fleetgate.simulator.telemetry.configs import active_configs
from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory

INVALID_CONFIG = (
    "Refer to https://developer.tesla.com/docs/fleet-api/fleet-telemetry for instructions setting up fleet-telemetry."
)


def make_ca_pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "telemetry test CA")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


CA_PEM = make_ca_pem()


def config(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "hostname": "telemetry.example.com",
        "port": 4443,
        "ca": CA_PEM,
        "fields": {"BatteryLevel": {"interval_seconds": 60}, "ChargeState": {"interval_seconds": 30}},
        "alert_types": ["service"],
        "exp": int(world.now()) + 86400,
        **overrides,
    }


async def post_config(
    sim: httpx.AsyncClient, env: dict[str, Any], claims: dict[str, Any], vins: list[str] | None = None, key: Any = None
) -> httpx.Response:
    token = sign_fleet_message(key or env["app"]["private_key"], claims)
    body = {"vins": vins if vins is not None else [env["vehicle"]["vin"]], "token": token}
    return await sim.post(f"{env['base']}/vehicles/fleet_telemetry_config_jws", json=body, headers=env["headers"])


async def get_config(sim: httpx.AsyncClient, env: dict[str, Any], vin: str | None = None) -> dict[str, Any]:
    vin = vin or env["vehicle"]["vin"]
    response = await sim.get(f"{env['base']}/vehicles/{vin}/fleet_telemetry_config", headers=env["headers"])
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()["response"]
    return body


@pytest.fixture
async def env(factory: SimFactory) -> dict[str, Any]:
    """An app whose key is on the car."""
    env = await factory.setup()
    await factory.pair(env["vehicle"]["vin"], env["app"]["public_key_pem"])
    return env


def skipped(**lists: list[str]) -> dict[str, list[str]]:
    return {"missing_key": [], "unsupported_hardware": [], "unsupported_firmware": [], "max_configs": [], **lists}


class TestConfigure:
    async def test_a_paired_car_takes_the_config(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        response = await post_config(sim, env, config(world))
        assert response.status_code == 200, response.text
        assert response.json() == {"response": {"updated_vehicles": 1, "skipped_vehicles": skipped()}}
        body = await get_config(sim, env)
        assert body["synced"] is True  # the car is online
        assert body["limit_reached"] is False
        assert body["key_paired"] is True
        assert body["config"]["hostname"] == "telemetry.example.com"
        assert body["config"]["port"] == 4443
        assert body["config"]["fields"]["ChargeState"] == {"interval_seconds": 30}
        assert body["config"]["aud"] == "com.tesla.fleet.TelemetryClient"

    async def test_a_car_without_the_key_is_skipped(
        self, sim: httpx.AsyncClient, factory: SimFactory, env: dict[str, Any], world: World
    ) -> None:
        other = (await factory.vehicle(env["account"]["id"]))["vin"]
        response = await post_config(sim, env, config(world), vins=[env["vehicle"]["vin"], other])
        assert response.json()["response"] == {"updated_vehicles": 1, "skipped_vehicles": skipped(missing_key=[other])}
        assert (await get_config(sim, env, other))["config"] is None

    async def test_old_firmware_is_skipped(
        self, sim: httpx.AsyncClient, factory: SimFactory, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        assert (await sim.patch(f"/sim/vehicles/{vin}", json={"firmware": "2024.20.9"})).status_code == 200
        response = await post_config(sim, env, config(world))
        assert response.json()["response"] == {
            "updated_vehicles": 0,
            "skipped_vehicles": skipped(unsupported_firmware=[vin]),
        }

    async def test_minimum_delta_needs_newer_firmware(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        await sim.patch(f"/sim/vehicles/{vin}", json={"firmware": "2024.38.7"})
        with_delta = config(world, fields={"BatteryLevel": {"interval_seconds": 60, "minimum_delta": 1}})
        assert (await post_config(sim, env, with_delta)).json()["response"]["skipped_vehicles"] == skipped(
            unsupported_firmware=[vin]
        )
        assert (await post_config(sim, env, config(world))).json()["response"]["updated_vehicles"] == 1

    async def test_a_car_holding_five_other_apps_is_skipped(
        self, sim: httpx.AsyncClient, factory: SimFactory, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        for n in range(5):
            app = await factory.app(domain=f"app{n}.example.com")
            await factory.pair(vin, app["public_key_pem"])
            tokens = await factory.tokens(app["client_id"], env["account"]["id"])
            other = {**env, "app": app, "headers": {"Authorization": f"Bearer {tokens['access_token']}"}}
            assert (await post_config(sim, other, config(world))).json()["response"]["updated_vehicles"] == 1
        response = await post_config(sim, env, config(world))
        assert response.json()["response"] == {"updated_vehicles": 0, "skipped_vehicles": skipped(max_configs=[vin])}
        assert (await get_config(sim, env))["limit_reached"] is True

    async def test_posting_again_replaces_the_apps_config(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        await post_config(sim, env, config(world))
        await post_config(sim, env, config(world, hostname="other.example.com"))
        assert (await get_config(sim, env))["config"]["hostname"] == "other.example.com"
        assert len(active_configs(world, env["vehicle"]["vin"])) == 1

    async def test_another_accounts_car_is_neither_updated_nor_listed(
        self, sim: httpx.AsyncClient, factory: SimFactory, env: dict[str, Any], world: World
    ) -> None:
        stranger = await factory.account(email="stranger@example.com")
        theirs = (await factory.vehicle(stranger["id"]))["vin"]
        response = await post_config(sim, env, config(world), vins=[theirs])
        assert response.json()["response"] == {"updated_vehicles": 0, "skipped_vehicles": skipped()}


class TestSignature:
    async def test_a_token_signed_with_another_key_is_refused(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        response = await post_config(sim, env, config(world), key=random_private_key())
        assert response.status_code == 400
        assert response.json()["error"] == INVALID_CONFIG
        assert "invalid issuer" in response.json()["error_description"]

    async def test_a_tampered_token_is_refused(self, sim: httpx.AsyncClient, env: dict[str, Any], world: World) -> None:
        token = sign_fleet_message(env["app"]["private_key"], config(world))
        header, claims, signature = token.split(".")
        other = sign_fleet_message(env["app"]["private_key"], config(world, port=443)).split(".")[1]
        body = {"vins": [env["vehicle"]["vin"]], "token": f"{header}.{other}.{signature}"}
        response = await sim.post(
            f"{env['base']}/vehicles/fleet_telemetry_config_jws", json=body, headers=env["headers"]
        )
        assert response.status_code == 400
        assert "signature is invalid" in response.json()["error_description"]
        assert claims != other

    @pytest.mark.parametrize("body", [{"token": "x"}, {"vins": [], "token": "x"}, {"vins": ["V"]}, [1]])
    async def test_a_malformed_body_is_refused(self, sim: httpx.AsyncClient, env: dict[str, Any], body: Any) -> None:
        response = await sim.post(
            f"{env['base']}/vehicles/fleet_telemetry_config_jws", json=body, headers=env["headers"]
        )
        assert response.status_code == 400


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "reason"),
        [
            ({"hostname": "https://telemetry.example.com"}, "hostname"),
            ({"port": "4443"}, "port"),
            ({"port": 70000}, "port"),
            ({"ca": "not a certificate"}, "ca"),
            ({"fields": {}}, "fields"),
            ({"fields": {"Soc2": {"interval_seconds": 60}}}, "unknown field Soc2"),
            ({"fields": {"Soc": {"interval_seconds": 0}}}, "interval_seconds"),
            ({"fields": {"Soc": {"interval_seconds": 10, "minimum_delta": "1"}}}, "minimum_delta"),
            ({"alert_types": ["everything"]}, "alert_types"),
            ({"delivery_policy": "sometimes"}, "delivery_policy"),
        ],
    )
    async def test_refused_as_tesla_refuses(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World, overrides: dict[str, Any], reason: str
    ) -> None:
        response = await post_config(sim, env, config(world, **overrides))
        assert response.status_code == 400
        assert response.json()["error"] == INVALID_CONFIG
        assert reason in response.json()["error_description"]

    async def test_an_expired_config_is_refused(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        response = await post_config(sim, env, config(world, exp=int(world.now()) - 1))
        assert response.status_code == 400
        assert "exp" in response.json()["error_description"]

    async def test_location_needs_the_location_scope(self, sim: httpx.AsyncClient, factory: SimFactory) -> None:
        env = await factory.setup(scopes="openid offline_access vehicle_device_data")
        await factory.pair(env["vehicle"]["vin"], env["app"]["public_key_pem"])
        claims = {
            "hostname": "telemetry.example.com",
            "port": 443,
            "ca": CA_PEM,
            "fields": {"Location": {"interval_seconds": 60}},
            "exp": 4_000_000_000,
        }
        response = await post_config(sim, env, claims)
        assert response.status_code == 403
        assert response.json()["error"] == MISSING_SCOPES


class TestSync:
    async def test_an_asleep_car_syncs_once_it_is_online(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        await sim.patch(f"/sim/vehicles/{vin}", json={"state": "asleep"})
        assert (await post_config(sim, env, config(world))).json()["response"]["updated_vehicles"] == 1
        body = await get_config(sim, env)
        assert body["synced"] is False
        assert body["config"]["hostname"] == "telemetry.example.com"
        assert active_configs(world, vin) == []
        await sim.patch(f"/sim/vehicles/{vin}", json={"state": "online"})
        assert (await get_config(sim, env))["synced"] is True
        assert [c.hostname for c in active_configs(world, vin)] == ["telemetry.example.com"]

    async def test_the_sync_delay_follows_the_simulated_clock(
        self, sim: httpx.AsyncClient, factory: SimFactory, env: dict[str, Any], world: World
    ) -> None:
        assert (await sim.put("/sim/telemetry/settings", json={"sync_delay_seconds": 120})).status_code == 200
        await post_config(sim, env, config(world))
        assert (await get_config(sim, env))["synced"] is False
        await factory.advance(121)
        assert (await get_config(sim, env))["synced"] is True

    async def test_an_expired_config_is_no_longer_streamed_to(
        self, sim: httpx.AsyncClient, factory: SimFactory, env: dict[str, Any], world: World
    ) -> None:
        await post_config(sim, env, config(world, exp=int(world.now()) + 60))
        assert len(active_configs(world, env["vehicle"]["vin"])) == 1
        await factory.advance(120)
        assert active_configs(world, env["vehicle"]["vin"]) == []

    async def test_a_removed_key_stops_the_stream(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        await post_config(sim, env, config(world))
        response = await sim.patch(
            f"/sim/vehicles/{vin}/keys", json={"public_key": env["app"]["public_key_pem"], "active": False}
        )
        assert response.status_code == 200, response.text
        assert active_configs(world, vin) == []
        assert (await get_config(sim, env))["key_paired"] is False


class TestDelete:
    async def test_delete_removes_the_apps_config(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        await post_config(sim, env, config(world))
        url = f"{env['base']}/vehicles/{env['vehicle']['vin']}/fleet_telemetry_config"
        response = await sim.delete(url, headers=env["headers"])
        assert response.json() == {"response": {"updated_vehicles": 1}}
        assert (await get_config(sim, env)) == {
            "synced": True,
            "config": None,
            "limit_reached": False,
            "key_paired": True,
        }
        assert (await sim.delete(url, headers=env["headers"])).json() == {"response": {"updated_vehicles": 0}}

    async def test_another_accounts_car_is_not_found(
        self, sim: httpx.AsyncClient, factory: SimFactory, env: dict[str, Any]
    ) -> None:
        stranger = await factory.account(email="stranger@example.com")
        theirs = (await factory.vehicle(stranger["id"]))["vin"]
        response = await sim.delete(f"{env['base']}/vehicles/{theirs}/fleet_telemetry_config", headers=env["headers"])
        assert response.status_code == 404


async def partner_headers(sim: httpx.AsyncClient, app: dict[str, Any]) -> dict[str, str]:
    response = await sim.post(
        "/oauth2/v3/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "audience": f"{sim.base_url}na",
        },
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


class TestErrors:
    async def test_a_ca_the_car_cannot_load_is_reported(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        broken = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
        assert (await post_config(sim, env, config(world, ca=broken))).json()["response"]["updated_vehicles"] == 1
        assert (await get_config(sim, env))["synced"] is True
        assert active_configs(world, vin) == []
        response = await sim.get(f"{env['base']}/vehicles/{vin}/fleet_telemetry_errors", headers=env["headers"])
        errors = response.json()["response"]["fleet_telemetry_errors"]
        assert len(errors) == 1
        assert set(errors[0]) == {"created_at", "error", "error_name", "name", "txID", "vin"}
        assert errors[0]["error"].startswith("error loading config file:")
        assert errors[0]["error_name"] == "config_manager_error"
        assert errors[0]["name"] == env["app"]["client_id"]
        assert errors[0]["vin"] == vin
        assert errors[0]["created_at"].endswith("Z")

    async def test_partner_endpoints_list_the_apps_errors(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        added = await sim.post(
            f"/sim/vehicles/{vin}/telemetry_errors",
            json={
                "client_id": env["app"]["client_id"],
                "error": "dial tcp: connection refused",
                "error_name": "stream",
            },
        )
        assert added.status_code == 201, added.text
        headers = await partner_headers(sim, env["app"])
        errors = await sim.get(f"{env['base']}/partner_accounts/fleet_telemetry_errors", headers=headers)
        assert errors.status_code == 200, errors.text
        assert [e["error"] for e in errors.json()["response"]["fleet_telemetry_errors"]] == [
            "dial tcp: connection refused"
        ]
        vins = await sim.get(f"{env['base']}/partner_accounts/fleet_telemetry_error_vins", headers=headers)
        assert vins.json() == {"response": [vin]}

    async def test_partner_endpoints_need_a_partner_token(self, sim: httpx.AsyncClient, env: dict[str, Any]) -> None:
        response = await sim.get(f"{env['base']}/partner_accounts/fleet_telemetry_errors", headers=env["headers"])
        assert response.status_code == 403

    async def test_another_apps_errors_are_not_shown(self, sim: httpx.AsyncClient, env: dict[str, Any]) -> None:
        vin = env["vehicle"]["vin"]
        await sim.post(f"/sim/vehicles/{vin}/telemetry_errors", json={"client_id": "someone-else", "error": "x"})
        response = await sim.get(f"{env['base']}/vehicles/{vin}/fleet_telemetry_errors", headers=env["headers"])
        assert response.json() == {"response": {"fleet_telemetry_errors": []}}


class TestBilling:
    async def test_config_calls_are_billed_as_data_to_the_car(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        await post_config(sim, env, config(world))
        await get_config(sim, env)
        usage = world.usage.report()["clients"][env["app"]["client_id"]]
        assert usage["totals"]["data"] == 2
        assert usage["devices"][env["vehicle"]["vin"]]["data"] == 1


class TestControl:
    async def test_lists_a_cars_configs(self, sim: httpx.AsyncClient, env: dict[str, Any], world: World) -> None:
        vin = env["vehicle"]["vin"]
        await post_config(sim, env, config(world))
        data = (await sim.get(f"/sim/vehicles/{vin}/telemetry_configs")).json()["data"]
        assert [(c["client_id"], c["synced"], c["active"]) for c in data] == [(env["app"]["client_id"], True, True)]

    async def test_dropping_a_config_tells_nobody(
        self, sim: httpx.AsyncClient, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        await post_config(sim, env, config(world))
        assert (await sim.delete(f"/sim/vehicles/{vin}/telemetry_configs/{env['app']['client_id']}")).status_code == 200
        assert (await get_config(sim, env))["config"] is None
        assert active_configs(world, vin) == []


class TestRevokedAccess:
    async def test_a_revoked_app_loses_its_config_silently(
        self, sim: httpx.AsyncClient, factory: SimFactory, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        await post_config(sim, env, config(world))
        revoke_consent(world, env["app"]["client_id"], env["account"]["id"])
        assert active_configs(world, vin) == []
        assert (await sim.get(f"/sim/vehicles/{vin}/telemetry_configs")).json() == {"data": []}

    async def test_a_car_sold_to_another_account_drops_the_config(
        self, sim: httpx.AsyncClient, factory: SimFactory, env: dict[str, Any], world: World
    ) -> None:
        vin = env["vehicle"]["vin"]
        await post_config(sim, env, config(world))
        buyer = await factory.account(email="buyer@example.com")
        assert (await sim.patch(f"/sim/vehicles/{vin}", json={"account_id": buyer["id"]})).status_code == 200
        assert active_configs(world, vin) == []
