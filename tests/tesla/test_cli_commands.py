"""`fleetgate keys generate` and `fleetgate partner register`, run as real processes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from fleetgate.protocol.keys import load_private_key_pem, public_key_bytes, public_key_pem, random_private_key
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import NotRegisteredInRegion, UpstreamError
from fleetgate.tesla.fleet import FleetSession, StaticToken
from fleetgate.tesla.keys import PUBLIC_KEY_PATH
from fleetgate.tesla.oauth import OAuthClient
from tests.simulator.factories import SimFactory
from tests.support.live import LiveServer, serve_in_thread


def fleetgate(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FLEETGATE_")}
    return subprocess.run(
        [sys.executable, "-m", "fleetgate", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**clean, **(env or {})},
        timeout=60,
        check=False,
    )


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


class TestKeysGenerate:
    def test_writes_a_p256_key_readable_by_its_owner_only(self, tmp_path: Path) -> None:
        key_file = tmp_path / "secrets" / "app.pem"
        result = fleetgate("keys", "generate", "--out", str(key_file), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert mode_of(key_file) == 0o600
        key = load_private_key_pem(key_file.read_bytes())
        assert isinstance(key.curve, ec.SECP256R1)
        assert public_key_pem(key).decode() in result.stdout
        assert PUBLIC_KEY_PATH in result.stdout

    def test_the_default_path_comes_from_the_settings(self, tmp_path: Path) -> None:
        result = fleetgate("keys", "generate", cwd=tmp_path, env={"FLEETGATE_PRIVATE_KEY_PATH": "k.pem"})
        assert result.returncode == 0, result.stderr
        assert mode_of(tmp_path / "k.pem") == 0o600

    def test_refuses_to_overwrite_a_key(self, tmp_path: Path) -> None:
        key_file = tmp_path / "app.pem"
        assert fleetgate("keys", "generate", "--out", str(key_file), cwd=tmp_path).returncode == 0
        before = key_file.read_bytes()
        again = fleetgate("keys", "generate", "--out", str(key_file), cwd=tmp_path)
        assert again.returncode == 1
        assert "exists" in again.stderr
        assert "--force" in again.stderr
        assert key_file.read_bytes() == before

    def test_force_replaces_it_and_tightens_the_mode(self, tmp_path: Path) -> None:
        key_file = tmp_path / "app.pem"
        key_file.write_text("old")
        key_file.chmod(0o644)
        result = fleetgate("keys", "generate", "--out", str(key_file), "--force", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert mode_of(key_file) == 0o600
        load_private_key_pem(key_file.read_bytes())


class KeyHost:
    """The app's domain: serves a public key at Tesla's well-known path and remembers who fetched it."""

    def __init__(self, key: ec.EllipticCurvePrivateKey) -> None:
        self.pem = public_key_pem(key).decode()
        self.fetches = 0
        self.app = Starlette(routes=[Route(PUBLIC_KEY_PATH, self.serve)])

    async def serve(self, request: Request) -> Response:
        self.fetches += 1
        return PlainTextResponse(self.pem, media_type="application/x-pem-file")


@pytest.fixture
def app_key() -> ec.EllipticCurvePrivateKey:
    return random_private_key()


@pytest.fixture
def key_host(app_key: ec.EllipticCurvePrivateKey) -> Iterator[tuple[KeyHost, LiveServer]]:
    host = KeyHost(app_key)
    with serve_in_thread(host.app) as server:
        yield host, server


@pytest.mark.live
class TestPartnerRegister:
    async def test_registers_the_domain_whose_key_tesla_downloaded(
        self,
        factory: SimFactory,
        live_sim: LiveServer,
        key_host: tuple[KeyHost, LiveServer],
        app_key: ec.EllipticCurvePrivateKey,
        tmp_path: Path,
    ) -> None:
        host, server = key_host
        domain = f"127.0.0.1:{server.port}"
        app = await factory.app(register=False, allowed_origins=[f"http://{domain}"])
        account = await factory.account()
        key_file = tmp_path / "app.pem"
        key_file.write_bytes(load_key_pem(app_key))
        endpoints = TeslaEndpoints.simulator(live_sim.url)
        async with httpx.AsyncClient() as http:
            user_token = (await factory.tokens(app["client_id"], account["id"]))["access_token"]
            user_api = FleetApi(FleetSession(http, endpoints, StaticToken(user_token), "na"))
            with pytest.raises(NotRegisteredInRegion):
                await user_api.vehicles()

            result = fleetgate(
                "partner",
                "register",
                "--region",
                "na",
                cwd=tmp_path,
                env={
                    "FLEETGATE_TESLA": live_sim.url,
                    "FLEETGATE_CLIENT_ID": app["client_id"],
                    "FLEETGATE_CLIENT_SECRET": app["client_secret"],
                    "FLEETGATE_DOMAIN": domain,
                    "FLEETGATE_PRIVATE_KEY_PATH": str(key_file),
                },
            )
            assert result.returncode == 0, result.stdout + result.stderr
            assert f"Registered {domain} in na." in result.stdout
            assert f"Tesla holds public key {public_key_bytes(app_key).hex()}" in result.stdout
            assert host.fetches == 1  # the simulator fetched the key from the real loopback port

            assert await user_api.vehicles() == []
            oauth = OAuthClient(http, endpoints, app["client_id"], app["client_secret"])
            partner = await oauth.partner_token(audience=endpoints.base_url("na"))
            partner_api = FleetApi(FleetSession(http, endpoints, StaticToken(partner.access_token), "na"))
            assert (await partner_api.partner_public_key(domain))["public_key"] == public_key_bytes(app_key).hex()
            # Registration is per region: Europe does not know the domain.
            eu_partner = await oauth.partner_token(audience=endpoints.base_url("eu"))
            eu_api = FleetApi(FleetSession(http, endpoints, StaticToken(eu_partner.access_token), "eu"))
            with pytest.raises(UpstreamError) as unknown:
                await eu_api.partner_public_key(domain)
            assert unknown.value.status == 404

    async def test_a_domain_serving_another_key_is_reported(
        self, factory: SimFactory, live_sim: LiveServer, key_host: tuple[KeyHost, LiveServer], tmp_path: Path
    ) -> None:
        _, server = key_host
        domain = f"127.0.0.1:{server.port}"
        app = await factory.app(register=False, allowed_origins=[f"http://{domain}"])
        key_file = tmp_path / "app.pem"
        key_file.write_bytes(load_key_pem(random_private_key()))  # not the key the domain serves
        result = fleetgate(
            "partner",
            "register",
            "--region",
            "na",
            "--domain",
            domain,
            cwd=tmp_path,
            env={
                "FLEETGATE_TESLA": live_sim.url,
                "FLEETGATE_CLIENT_ID": app["client_id"],
                "FLEETGATE_CLIENT_SECRET": app["client_secret"],
                "FLEETGATE_PRIVATE_KEY_PATH": str(key_file),
            },
        )
        assert result.returncode == 1
        assert "Tesla holds another public key" in result.stderr


class TestPartnerRegisterArguments:
    def test_missing_settings_and_unknown_regions_are_named(self, tmp_path: Path) -> None:
        result = fleetgate("partner", "register", "--region", "na", cwd=tmp_path)
        assert result.returncode == 2
        assert "FLEETGATE_CLIENT_ID" in result.stderr
        unknown = fleetgate("partner", "register", "--region", "mars", cwd=tmp_path)
        assert unknown.returncode == 2
        assert "use na, eu or cn" in unknown.stderr


def load_key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    from fleetgate.protocol.keys import private_key_pem

    return private_key_pem(key)
