"""The control API and the Fleet API's gatekeeping (auth, region, registration, faults, clock)."""

from __future__ import annotations

import httpx
import jwt
import pytest

from tests.simulator.factories import SimFactory
from tests.support.live import LiveServer


class TestSeeding:
    async def test_account_vehicle_and_site_are_created_with_tesla_shaped_ids(self, factory: SimFactory) -> None:
        account = await factory.account(region="eu")
        assert account["region"] == "eu"
        vehicle = await factory.vehicle(account["id"], model="Model Y", state="asleep")
        assert len(vehicle["vin"]) == 17
        assert vehicle["vin"].startswith("7SAY")
        assert vehicle["state"] == "asleep"
        assert len(vehicle["domains"]) == 2
        site = await factory.energy_site(account["id"], site_name="Cabin")
        assert isinstance(site["energy_site_id"], int)

    async def test_same_seed_gives_same_world(self) -> None:
        from fleetgate.simulator.app import create_simulator_app
        from fleetgate.simulator.world import World

        vins = []
        for _ in range(2):
            app = create_simulator_app(World(seed=42))
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as sim:
                account = (await sim.post("/sim/accounts", json={"email": "a@b.c"})).json()
                vehicle = (await sim.post(f"/sim/accounts/{account['id']}/vehicles", json={})).json()
                vins.append((account["id"], vehicle["vin"], vehicle["domains"]))
        assert vins[0] == vins[1]

    async def test_duplicate_email_is_refused(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        await factory.account(email="dup@example.com")
        response = await sim.post("/sim/accounts", json={"email": "dup@example.com", "region": "na"})
        assert response.status_code == 409

    async def test_reset_empties_the_world(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        account = await factory.account()
        await sim.post("/sim/reset")
        assert (await sim.get("/sim/accounts")).json()["data"] == []
        assert (await sim.post(f"/sim/accounts/{account['id']}/vehicles", json={})).status_code == 404


class TestTokens:
    async def test_sim_tokens_carry_tesla_claims(self, factory: SimFactory) -> None:
        app = await factory.app()
        account = await factory.account(region="eu")
        tokens = await factory.tokens(app["client_id"], account["id"], "openid offline_access vehicle_device_data")
        claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
        assert claims["azp"] == app["client_id"]
        assert claims["sub"] == account["id"]
        assert claims["ou_code"] == "EU"
        assert sorted(claims["scp"]) == ["offline_access", "openid", "vehicle_device_data"]
        assert claims["exp"] - claims["iat"] == 28800
        assert any(aud.endswith("/eu") for aud in claims["aud"])
        assert tokens["refresh_token"].startswith("EU_")
        assert tokens["expires_in"] == 28800


class TestGatekeeping:
    async def test_missing_token_is_401(self, sim: httpx.AsyncClient) -> None:
        response = await sim.get("/na/api/1/vehicles")
        assert response.status_code == 401

    async def test_forged_token_is_401(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        forged = setup["tokens"]["access_token"][:-4] + "AAAA"
        response = await sim.get("/na/api/1/vehicles", headers={"Authorization": f"Bearer {forged}"})
        assert response.status_code == 401

    async def test_expired_token_is_a_bare_401(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        await factory.advance(8 * 3600 + 1)
        response = await sim.get("/na/api/1/vehicles", headers=setup["headers"])
        assert response.status_code == 401
        assert response.content == b""

    async def test_wrong_region_is_421_with_the_base_url_to_use(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        setup = await factory.setup(region="eu")
        response = await sim.get("/na/api/1/vehicles", headers=setup["headers"])
        assert response.status_code == 421
        assert "use base URL: http://sim.test/eu" in response.json()["error"]

    async def test_unregistered_region_is_412(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        app = await factory.app(register=False)
        account = await factory.account()
        tokens = await factory.tokens(app["client_id"], account["id"])
        response = await sim.get("/na/api/1/vehicles", headers={"Authorization": f"Bearer {tokens['access_token']}"})
        assert response.status_code == 412
        assert "must be registered in the current region" in response.json()["error"]

    async def test_unknown_region_is_404(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        response = await sim.get("/xx/api/1/vehicles", headers=setup["headers"])
        assert response.status_code == 404


class TestFaultsAndClock:
    async def test_fault_is_served_count_times_then_cleared(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        vin = setup["vehicle"]["vin"]
        fault = await sim.post(
            "/sim/faults", json={"path": "/vehicle_data", "vin": vin, "status": 503, "count": 2, "body": {"x": 1}}
        )
        assert fault.status_code == 201
        path = f"/na/api/1/vehicles/{vin}/vehicle_data"
        for _ in range(2):
            response = await sim.get(path, headers=setup["headers"])
            assert response.status_code == 503
            assert response.json() == {"x": 1}
        assert (await sim.get("/sim/faults")).json()["data"] == []

    async def test_an_injected_429_carries_its_retry_after(self, sim: httpx.AsyncClient, factory: SimFactory) -> None:
        setup = await factory.setup()
        vin = setup["vehicle"]["vin"]
        fault = {"path": "/vehicle_data", "vin": vin, "status": 429, "count": 1, "headers": {"Retry-After": "3"}}
        assert (await sim.post("/sim/faults", json=fault)).status_code == 201
        response = await sim.get(f"/na/api/1/vehicles/{vin}/vehicle_data", headers=setup["headers"])
        assert (response.status_code, response.headers["retry-after"]) == (429, "3")

    async def test_a_lost_answer_breaks_the_reply_after_the_work_is_done_and_billed(
        self, sim: httpx.AsyncClient, factory: SimFactory, live_sim: LiveServer
    ) -> None:
        setup = await factory.setup()
        vin = setup["vehicle"]["vin"]
        assert (
            await sim.post("/sim/faults", json={"path": "/vehicle_data", "lose_answer": True, "count": 1})
        ).status_code == 201
        async with httpx.AsyncClient(base_url=live_sim.url) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(f"/na/api/1/vehicles/{vin}/vehicle_data", headers=setup["headers"])
            answered = await client.get(f"/na/api/1/vehicles/{vin}/vehicle_data", headers=setup["headers"])
        assert answered.status_code == 200
        assert (await sim.get("/sim/usage")).json()["totals"]["data"] == 2
        refused = await sim.post("/sim/faults", json={"lose_answer": True, "status": 500})
        assert refused.status_code == 422

    async def test_clock_only_moves_forward(self, sim: httpx.AsyncClient) -> None:
        before = (await sim.get("/sim/clock")).json()["now"]
        after = (await sim.post("/sim/clock", json={"advance_seconds": 3600})).json()["now"]
        assert after - before >= 3600
        assert (await sim.post("/sim/clock", json={"advance_seconds": -1})).status_code == 422


class TestLiveServer:
    def test_simulator_answers_on_a_real_port(self, live_sim) -> None:  # type: ignore[no-untyped-def]
        response = httpx.get(f"{live_sim.url}/status")
        assert response.status_code == 200
        assert response.text == "ok"


async def test_the_openapi_document_names_every_operation_once(sim: httpx.AsyncClient) -> None:
    """Its docs page (`/sim/docs`) renders from it; a duplicate operation id is a warning, here an error."""
    document = (await sim.get("/sim/openapi.json")).json()
    operations = [operation["operationId"] for methods in document["paths"].values() for operation in methods.values()]
    assert len(operations) == len(set(operations))
    assert {"userinfo_get", "userinfo_post"} <= set(operations)
