"""Fleet Telemetry's config calls through `FleetApi`, against the simulator: typed answers and Tesla's errors."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fleetgate.protocol.keys import random_private_key
from fleetgate.protocol.telemetry.jws import sign_fleet_message
from fleetgate.simulator.world import World
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import MissingScopes, TelemetryConfigRefused, UpstreamError
from fleetgate.tesla.fleet import FleetSession, StaticToken
from tests.simulator.factories import SimFactory
from tests.simulator.test_telemetry_config import CA_PEM
from tests.tesla.support import Connected, connect, patch_vehicle


def claims(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "hostname": "telemetry.example.com",
        "port": 4443,
        "ca": CA_PEM,
        "fields": {"BatteryLevel": {"interval_seconds": 60}},
        "alert_types": ["service"],
        "exp": int(world.now()) + 86400,
        **overrides,
    }


async def configure(env: Connected, world: World, **overrides: Any) -> Any:
    token = sign_fleet_message(env.app["private_key"], claims(world, **overrides))
    return await env.api.configure_telemetry([env.vin], token)


async def partner_api(sim: httpx.AsyncClient, http: httpx.AsyncClient, endpoints: TeslaEndpoints, app: Any) -> FleetApi:
    response = await sim.post(
        "/oauth2/v3/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "audience": endpoints.base_url("na"),
        },
    )
    assert response.status_code == 200, response.text
    return FleetApi(FleetSession(http, endpoints, StaticToken(response.json()["access_token"]), "na"))


class TestConfigureTelemetry:
    async def test_configures_a_paired_car(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, world: World
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        answer = await configure(env, world)
        assert answer == {
            "updated_vehicles": 1,
            "skipped_vehicles": {
                "missing_key": [],
                "unsupported_hardware": [],
                "unsupported_firmware": [],
                "max_configs": [],
            },
        }

    async def test_names_the_skipped_cars(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, world: World
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        answer = await configure(env, world)
        assert answer["updated_vehicles"] == 0
        assert answer["skipped_vehicles"]["missing_key"] == [env.vin]

    async def test_an_invalid_config_is_refused_with_teslas_reason(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, world: World
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        with pytest.raises(TelemetryConfigRefused) as refused:
            await configure(env, world, port="4443")
        assert "port" in refused.value.reason
        assert refused.value.status == 400
        assert refused.value.may_have_succeeded is False

    async def test_a_token_not_signed_by_the_apps_key_is_refused(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, world: World
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        token = sign_fleet_message(random_private_key(), claims(world))
        with pytest.raises(TelemetryConfigRefused, match="invalid issuer"):
            await env.api.configure_telemetry([env.vin], token)

    async def test_location_without_the_scope_is_missing_scopes(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, world: World
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, scopes="openid vehicle_device_data", pair="owner")
        with pytest.raises(MissingScopes):
            await configure(env, world, fields={"Location": {"interval_seconds": 60}})


class TestTelemetryConfig:
    async def test_reads_the_config_as_the_car_holds_it(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        world: World,
        sim: httpx.AsyncClient,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner", state="asleep")
        await configure(env, world)
        state = await env.api.telemetry_config(env.vin)
        assert state["synced"] is False
        assert state["config"] is not None
        assert state["config"]["hostname"] == "telemetry.example.com"
        assert state["key_paired"] is True
        assert state["limit_reached"] is False
        await patch_vehicle(sim, env.vin, state="online")
        assert (await env.api.telemetry_config(env.vin))["synced"] is True

    async def test_delete_says_how_many_cars_dropped_it(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, world: World
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        await configure(env, world)
        assert await env.api.delete_telemetry_config(env.vin) == 1
        assert (await env.api.telemetry_config(env.vin))["config"] is None
        assert await env.api.delete_telemetry_config(env.vin) == 0

    async def test_another_accounts_car_is_an_upstream_404(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        stranger = await factory.account(email="stranger@example.com")
        theirs = (await factory.vehicle(stranger["id"]))["vin"]
        with pytest.raises(UpstreamError) as missing:
            await env.api.telemetry_config(theirs)
        assert missing.value.status == 404


class TestTelemetryErrors:
    async def test_the_cars_errors(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, world: World
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        broken = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
        await configure(env, world, ca=broken)
        errors = await env.api.telemetry_errors(env.vin)
        assert len(errors) == 1
        assert errors[0]["vin"] == env.vin
        assert errors[0]["error_name"] == "config_manager_error"
        assert errors[0]["name"] == env.client_id
        assert errors[0]["error"].startswith("error loading config file")

    async def test_partner_errors_and_vins(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        world: World,
        sim: httpx.AsyncClient,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, pair="owner")
        added = await sim.post(
            f"/sim/vehicles/{env.vin}/telemetry_errors", json={"client_id": env.client_id, "error": "dial tcp: refused"}
        )
        assert added.status_code == 201
        partner = await partner_api(sim, tesla_http, endpoints, env.app)
        errors = await partner.partner_telemetry_errors()
        assert [(e["vin"], e["error"]) for e in errors] == [(env.vin, "dial tcp: refused")]
        assert await partner.partner_telemetry_error_vins() == [env.vin]
