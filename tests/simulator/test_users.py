"""User endpoints: `users/me`, `users/region` (on any region's base URL), `feature_config` and `orders`."""

from __future__ import annotations

import uuid

import httpx

from tests.simulator.factories import SimFactory


class TestMe:
    async def test_me_answers_the_profile(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid user_data")
        response = await sim.get(f"{setup['base']}/users/me", headers=setup["headers"])
        assert response.status_code == 200
        me = response.json()["response"]
        assert set(me) == {"email", "full_name", "profile_image_url", "vault_uuid"}
        assert me["email"] == setup["account"]["email"]
        assert me["full_name"] == setup["account"]["full_name"]
        assert me["profile_image_url"].startswith("http")
        uuid.UUID(me["vault_uuid"])

    async def test_me_is_stable(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid user_data")
        first = await sim.get(f"{setup['base']}/users/me", headers=setup["headers"])
        second = await sim.get(f"{setup['base']}/users/me", headers=setup["headers"])
        assert first.json() == second.json()

    async def test_me_needs_user_data(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid vehicle_device_data")
        response = await sim.get(f"{setup['base']}/users/me", headers=setup["headers"])
        assert response.status_code == 403
        assert response.json()["error"] == "Unauthorized missing scopes"


class TestRegion:
    async def test_region_answers_from_another_regions_base_url(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(region="eu", scopes="openid user_data")
        assert (await sim.get("/na/api/1/products", headers=setup["headers"])).status_code == 421
        for region in ("na", "eu", "cn"):
            response = await sim.get(f"/{region}/api/1/users/region", headers=setup["headers"])
            assert response.status_code == 200, response.text
            assert response.json()["response"] == {"region": "eu", "fleet_api_base_url": "http://sim.test/eu"}

    async def test_region_needs_no_scope_beyond_sign_in(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid vehicle_device_data")
        response = await sim.get(f"{setup['base']}/users/region", headers=setup["headers"])
        assert response.status_code == 200
        assert response.json()["response"]["region"] == "na"

    async def test_region_answers_where_the_app_is_not_registered(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        app = await factory.app(register=False)
        account = await factory.account()
        tokens = await factory.tokens(app["client_id"], account["id"])
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert (await sim.get("/na/api/1/products", headers=headers)).status_code == 412
        response = await sim.get("/eu/api/1/users/region", headers=headers)
        assert response.status_code == 200
        assert response.json()["response"]["fleet_api_base_url"] == "http://sim.test/na"

    async def test_region_still_needs_a_valid_token(self, sim: httpx.AsyncClient) -> None:
        assert (await sim.get("/na/api/1/users/region")).status_code == 401


class TestOtherUserEndpoints:
    async def test_feature_config(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid user_data")
        response = await sim.get(f"{setup['base']}/users/feature_config", headers=setup["headers"])
        assert response.status_code == 200
        assert response.json()["response"]["signaling"]["enabled"] is True

    async def test_orders_is_an_empty_list(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid user_data")
        response = await sim.get(f"{setup['base']}/users/orders", headers=setup["headers"])
        assert response.status_code == 200
        assert response.json()["response"] == []
        assert response.json()["count"] == 0

    async def test_user_endpoints_are_not_billed(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="openid user_data")
        for endpoint in ("me", "region", "feature_config", "orders"):
            assert (await sim.get(f"{setup['base']}/users/{endpoint}", headers=setup["headers"])).status_code == 200
        usage = (await sim.get("/sim/usage")).json()
        assert usage["totals"] == {"data": 0, "commands": 0, "wakes": 0, "streaming_signals": 0}
        assert sum(usage["endpoints"][setup["app"]["client_id"]].values()) == 4
