"""JWKS, OIDC metadata and userinfo on the auth host."""

from __future__ import annotations

import httpx
import jwt
import pytest

from tests.simulator.auth_helpers import SIM_BASE
from tests.simulator.factories import SimFactory


class TestJwks:
    @pytest.mark.parametrize("path", ["/oauth2/v3/discovery/thirdparty/keys", "/oauth2/v3/keys"])
    async def test_verifies_an_access_tokens_signature(
        self, factory: SimFactory, sim: httpx.AsyncClient, path: str
    ) -> None:
        setup = await factory.setup()
        token = setup["tokens"]["access_token"]
        keys = jwt.PyJWKSet.from_dict((await sim.get(path)).json())
        key = keys[jwt.get_unverified_header(token)["kid"]]
        claims = jwt.decode(
            token, key.key, algorithms=["RS256"], audience=f"{SIM_BASE}/na", options={"verify_exp": False}
        )
        assert claims["sub"] == setup["account"]["id"]
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(token[:-6] + "AAAAAA", key.key, algorithms=["RS256"], options={"verify_aud": False})


class TestOpenIdConfiguration:
    @pytest.mark.parametrize(
        "path",
        ["/oauth2/v3/thirdparty/.well-known/openid-configuration", "/oauth2/v3/.well-known/openid-configuration"],
    )
    async def test_describes_the_endpoints(self, sim: httpx.AsyncClient, path: str) -> None:
        meta = (await sim.get(path)).json()
        assert meta["issuer"] == f"{SIM_BASE}/oauth2/v3/nts"
        assert meta["authorization_endpoint"] == f"{SIM_BASE}/oauth2/v3/authorize"
        assert meta["token_endpoint"] == f"{SIM_BASE}/oauth2/v3/token"
        assert meta["userinfo_endpoint"] == f"{SIM_BASE}/oauth2/v3/userinfo"
        assert meta["response_types_supported"] == ["code"]
        assert set(meta["code_challenge_methods_supported"]) == {"S256", "plain"}
        assert {"openid", "offline_access", "vehicle_device_data", "vehicle_location"} <= set(meta["scopes_supported"])
        assert set(meta["grant_types_supported"]) == {"authorization_code", "refresh_token", "client_credentials"}
        jwks = await sim.get(meta["jwks_uri"].removeprefix(SIM_BASE))
        assert jwks.json()["keys"][0]["kty"] == "RSA"

    async def test_issuer_is_the_id_tokens_iss(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        meta = (await sim.get("/oauth2/v3/thirdparty/.well-known/openid-configuration")).json()
        id_token = jwt.decode(setup["tokens"]["id_token"], options={"verify_signature": False})
        assert id_token["iss"] == meta["issuer"]


class TestUserinfo:
    async def test_tells_who_the_token_is_for(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup()
        response = await sim.get("/oauth2/v3/userinfo", headers=setup["headers"])
        assert response.status_code == 200
        info = response.json()
        assert info["sub"] == setup["account"]["id"]
        assert info["email"] == setup["account"]["email"]
        assert info["name"]

    async def test_needs_a_valid_bearer_token(self, sim: httpx.AsyncClient) -> None:
        assert (await sim.get("/oauth2/v3/userinfo")).status_code == 401
        response = await sim.get("/oauth2/v3/userinfo", headers={"Authorization": "Bearer not-a-jwt"})
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_token"

    async def test_needs_openid(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        setup = await factory.setup(scopes="vehicle_device_data")
        response = await sim.get("/oauth2/v3/userinfo", headers=setup["headers"])
        assert response.status_code == 403
