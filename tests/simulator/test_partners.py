"""Partner accounts: registering an app's domain and key in a region, and looking a domain's key up.

The simulator fetches the key from the app's domain through its outbound client: tests give it an
`httpx.MockTransport` playing the app's web server, or, for a loopback domain with a port, a real server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from fleetgate.protocol.keys import public_key_bytes, public_key_pem, random_private_key
from fleetgate.simulator.app import create_simulator_app
from fleetgate.simulator.auth.service import mint_access_token
from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory
from tests.support.live import serve_in_thread

SIM_BASE = "http://sim.test"
KEY_PATH = "/.well-known/appspecific/com.tesla.3p.public-key.pem"

MintPartnerToken = Callable[..., dict[str, str]]


@pytest.fixture
def partner_headers(world: World) -> MintPartnerToken:
    """Headers with a partner token. The auth server's client_credentials grant is not built yet, so the token is
    minted directly in the world the app uses, as that grant would mint it (no user, audience = the region)."""

    def mint(client_id: str, region: str = "na") -> dict[str, str]:
        token = mint_access_token(
            world,
            base=SIM_BASE,
            client_id=client_id,
            account=None,
            scopes=frozenset({"openid", "vehicle_device_data", "vehicle_cmds"}),
            audience=(f"{SIM_BASE}/{region}",),
            chain_id=None,
        )
        return {"Authorization": f"Bearer {token}"}

    return mint


class KeyHost:
    """The app's web server, as seen through the simulator's outbound client."""

    def __init__(self) -> None:
        self.files: dict[str, httpx.Response] = {}
        self.requested: list[str] = []

    def serve(self, url: str, body: bytes | str, status: int = 200) -> None:
        self.files[url] = httpx.Response(status, content=body.encode() if isinstance(body, str) else body)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requested.append(str(request.url))
        if request.url.host == "unreachable.example.com":
            raise httpx.ConnectError("connection refused", request=request)
        return self.files.get(str(request.url), httpx.Response(404, text="not found"))


@pytest.fixture
def key_host() -> KeyHost:
    return KeyHost()


@pytest.fixture
async def partner_sim(world: World, key_host: KeyHost) -> AsyncIterator[httpx.AsyncClient]:
    app = create_simulator_app(world, outbound_transport=httpx.MockTransport(key_host.handle))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=SIM_BASE) as client,
    ):
        yield client


def key_pair() -> tuple[str, str]:
    """A P-256 key: its PEM and the hex of its uncompressed point."""
    key = random_private_key()
    return public_key_pem(key).decode(), public_key_bytes(key).hex()


async def register(sim: httpx.AsyncClient, headers: dict[str, str], domain: Any, region: str = "na") -> httpx.Response:
    return await sim.post(f"/{region}/api/1/partner_accounts", json={"domain": domain}, headers=headers)


class TestRegister:
    async def test_registering_fetches_the_key_and_answers_the_partner_account(
        self, partner_sim: httpx.AsyncClient, key_host: KeyHost, partner_headers: MintPartnerToken
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False, name="Charger Co")
        pem, point = key_pair()
        key_host.serve(f"https://app.example.com{KEY_PATH}", pem)
        response = await register(partner_sim, partner_headers(app["client_id"]), "app.example.com")
        assert response.status_code == 200, response.text
        account = response.json()["response"]
        assert account["client_id"] == app["client_id"]
        assert account["name"] == "Charger Co"
        assert account["domain"] == "app.example.com"
        assert account["public_key"] == point
        assert account["ca"] is None
        assert account["enterprise_tier"] == "free"
        assert {"description", "created_at", "updated_at"} <= set(account)
        assert key_host.requested == [f"https://app.example.com{KEY_PATH}"]

    async def test_registering_ends_412_for_users_in_that_region_only(
        self, partner_sim: httpx.AsyncClient, key_host: KeyHost, partner_headers: MintPartnerToken
    ) -> None:
        factory = SimFactory(partner_sim)
        app = await factory.app(register=False)
        account = await factory.account()
        tokens = await factory.tokens(app["client_id"], account["id"])
        user = {"Authorization": f"Bearer {tokens['access_token']}"}
        assert (await partner_sim.get("/na/api/1/products", headers=user)).status_code == 412
        key_host.serve(f"https://app.example.com{KEY_PATH}", key_pair()[0])
        assert (await register(partner_sim, partner_headers(app["client_id"]), "app.example.com")).status_code == 200
        assert (await partner_sim.get("/na/api/1/products", headers=user)).status_code == 200
        eu_partner = partner_headers(app["client_id"], "eu")
        response = await partner_sim.get(
            "/eu/api/1/partner_accounts/public_key?domain=app.example.com", headers=eu_partner
        )
        assert response.status_code == 404

    async def test_a_subdomain_of_an_allowed_origins_root_domain_is_accepted(
        self, partner_sim: httpx.AsyncClient, key_host: KeyHost, partner_headers: MintPartnerToken
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False, allowed_origins=["https://www.example.com"])
        key_host.serve(f"https://keys.example.com{KEY_PATH}", key_pair()[0])
        response = await register(partner_sim, partner_headers(app["client_id"]), "Keys.Example.com")
        assert response.status_code == 200, response.text
        assert response.json()["response"]["domain"] == "keys.example.com"

    async def test_a_domain_outside_the_allowed_origins_is_refused(
        self, partner_sim: httpx.AsyncClient, key_host: KeyHost, partner_headers: MintPartnerToken
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False)
        key_host.serve(f"https://evil.test.org{KEY_PATH}", key_pair()[0])
        response = await register(partner_sim, partner_headers(app["client_id"]), "evil.test.org")
        assert response.status_code == 412
        assert "Root domain test.org must match registered allowed origin" in response.json()["error"]
        assert key_host.requested == []

    @pytest.mark.parametrize(
        "domain", ["https://app.example.com", "app.example.com/keys", "app.example.com:8443", "", 42, "app"]
    )
    async def test_a_malformed_domain_is_400(
        self, partner_sim: httpx.AsyncClient, partner_headers: MintPartnerToken, domain: Any
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False)
        response = await register(partner_sim, partner_headers(app["client_id"]), domain)
        assert response.status_code == 400
        assert response.json()["error"].startswith("Invalid domain")

    async def test_a_missing_domain_is_400_invalid_field(
        self, partner_sim: httpx.AsyncClient, partner_headers: MintPartnerToken
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False)
        response = await partner_sim.post(
            "/na/api/1/partner_accounts", json={}, headers=partner_headers(app["client_id"])
        )
        assert response.status_code == 400
        assert response.json()["messages"] == {"domain": ["is required"]}

    async def test_re_registering_replaces_the_key(
        self, partner_sim: httpx.AsyncClient, key_host: KeyHost, partner_headers: MintPartnerToken
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False)
        headers = partner_headers(app["client_id"])
        url = f"https://app.example.com{KEY_PATH}"
        first_pem, first_point = key_pair()
        key_host.serve(url, first_pem)
        created = (await register(partner_sim, headers, "app.example.com")).json()["response"]
        second_pem, second_point = key_pair()
        key_host.serve(url, second_pem)
        updated = (await register(partner_sim, headers, "app.example.com")).json()["response"]
        assert updated["public_key"] == second_point != first_point
        assert updated["created_at"] == created["created_at"]
        lookup = await partner_sim.get("/na/api/1/partner_accounts/public_key?domain=app.example.com", headers=headers)
        assert lookup.json()["response"] == {"public_key": second_point}

    async def test_a_user_token_is_refused(
        self, partner_sim: httpx.AsyncClient, key_host: KeyHost, world: World
    ) -> None:
        factory = SimFactory(partner_sim)
        app = await factory.app(register=False)
        account = await factory.account()
        tokens = await factory.tokens(app["client_id"], account["id"])
        key_host.serve(f"https://app.example.com{KEY_PATH}", key_pair()[0])
        user = {"Authorization": f"Bearer {tokens['access_token']}"}
        response = await register(partner_sim, user, "app.example.com")
        assert response.status_code == 403
        assert world.registrations == {}
        lookup = await partner_sim.get("/na/api/1/partner_accounts/public_key?domain=app.example.com", headers=user)
        assert lookup.status_code == 403

    async def test_registering_is_not_billed(
        self, partner_sim: httpx.AsyncClient, key_host: KeyHost, partner_headers: MintPartnerToken
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False)
        key_host.serve(f"https://app.example.com{KEY_PATH}", key_pair()[0])
        await register(partner_sim, partner_headers(app["client_id"]), "app.example.com")
        usage = (await partner_sim.get("/sim/usage")).json()
        assert usage["totals"] == {"data": 0, "commands": 0, "wakes": 0, "streaming_signals": 0}


def rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def p384_pem() -> str:
    key = ec.generate_private_key(ec.SECP384R1())
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class TestDownloadFailures:
    @pytest.mark.parametrize(
        ("serve", "domain"),
        [
            (None, "app.example.com"),  # nothing at the well-known path: 404
            (lambda host: host.serve(f"https://app.example.com{KEY_PATH}", "oops", status=500), "app.example.com"),
            (lambda host: host.serve(f"https://app.example.com{KEY_PATH}", "<html>hello</html>"), "app.example.com"),
            (lambda host: host.serve(f"https://app.example.com{KEY_PATH}", rsa_pem()), "app.example.com"),
            (lambda host: host.serve(f"https://app.example.com{KEY_PATH}", p384_pem()), "app.example.com"),
            (
                lambda host: host.files.update(
                    {
                        f"https://app.example.com{KEY_PATH}": httpx.Response(
                            301, headers={"Location": "https://cdn.example.com/key.pem"}
                        )
                    }
                ),
                "app.example.com",
            ),
            (None, "unreachable.example.com"),
        ],
    )
    async def test_a_key_that_cannot_be_downloaded_or_is_not_p256_is_424(
        self,
        partner_sim: httpx.AsyncClient,
        key_host: KeyHost,
        partner_headers: MintPartnerToken,
        world: World,
        serve: Callable[[KeyHost], None] | None,
        domain: str,
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False)
        if serve is not None:
            serve(key_host)
        response = await register(partner_sim, partner_headers(app["client_id"]), domain)
        assert response.status_code == 424
        assert response.json()["error"].startswith("Public key download failed")
        assert world.registrations == {}


def key_server(pem: str) -> FastAPI:
    site = FastAPI()

    @site.get(KEY_PATH, response_class=PlainTextResponse)
    async def public_key() -> str:
        return pem

    return site


class TestLoopback:
    @pytest.mark.live
    async def test_a_loopback_domain_with_a_port_is_fetched_over_http(
        self, world: World, partner_headers: MintPartnerToken
    ) -> None:
        pem, point = key_pair()
        with serve_in_thread(key_server(pem)) as server:
            sim_app = create_simulator_app(world)
            async with (
                sim_app.router.lifespan_context(sim_app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app), base_url=SIM_BASE) as sim,
            ):
                origin = f"http://127.0.0.1:{server.port}"
                app = await SimFactory(sim).app(register=False, allowed_origins=[origin])
                domain = f"127.0.0.1:{server.port}"
                response = await register(sim, partner_headers(app["client_id"]), domain)
                assert response.status_code == 200, response.text
                assert response.json()["response"]["public_key"] == point
                lookup = await sim.get(
                    "/na/api/1/partner_accounts/public_key",
                    params={"domain": domain},
                    headers=partner_headers(app["client_id"]),
                )
                assert lookup.json()["response"] == {"public_key": point}

    async def test_localhost_must_be_an_allowed_origin_too(
        self, partner_sim: httpx.AsyncClient, partner_headers: MintPartnerToken
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False)
        response = await register(partner_sim, partner_headers(app["client_id"]), "localhost:8080")
        assert response.status_code == 412


class TestPublicKeyLookup:
    async def test_an_unknown_domain_is_404(
        self, partner_sim: httpx.AsyncClient, partner_headers: MintPartnerToken
    ) -> None:
        app = await SimFactory(partner_sim).app(register=False)
        response = await partner_sim.get(
            "/na/api/1/partner_accounts/public_key?domain=nobody.example.com", headers=partner_headers(app["client_id"])
        )
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"

    async def test_a_registration_made_through_the_control_api_is_found(
        self, partner_sim: httpx.AsyncClient, partner_headers: MintPartnerToken
    ) -> None:
        app = await SimFactory(partner_sim).app(domain="fleet.example.com")
        response = await partner_sim.get(
            "/eu/api/1/partner_accounts/public_key?domain=fleet.example.com",
            headers=partner_headers(app["client_id"], "eu"),
        )
        assert response.status_code == 200
        assert response.json()["response"]["public_key"] == public_key_bytes(app["private_key"]).hex()
