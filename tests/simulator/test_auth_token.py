"""`/oauth2/v3/token`: code exchange, PKCE, refresh rotation and partner tokens."""

from __future__ import annotations

from typing import Any

import httpx
import jwt
import pytest

from tests.simulator.auth_helpers import SIM_BASE, OAuthClient, s256
from tests.simulator.factories import SimFactory

EMAIL = "owner@example.com"
SCOPE = "openid offline_access vehicle_device_data"
HOUR = 3600
VERIFIER = "v" * 20 + "-._~" + "0123456789abcdefghijklmnop"


@pytest.fixture
async def client(factory: SimFactory, sim: httpx.AsyncClient) -> OAuthClient:
    await factory.account(EMAIL)
    return OAuthClient(sim, await factory.app())


def claims(token: str) -> dict[str, Any]:
    result: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return result


async def vehicles_status(sim: httpx.AsyncClient, tokens: dict[str, Any]) -> int:
    response = await sim.get("/na/api/1/vehicles", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    return response.status_code


def assert_oauth_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error
    assert body["error_description"]
    assert body["referenceID"]


class TestAuthorizationCodeGrant:
    async def test_full_flow_through_the_pages(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        code = await client.code_by_pages(EMAIL, SCOPE, ticks={"offline_access", "vehicle_device_data"}, nonce="n-1")
        response = await client.exchange(code)
        assert response.headers["cache-control"] == "no-store"
        tokens = response.json()
        assert tokens["token_type"] == "Bearer"
        assert tokens["expires_in"] == 28800
        assert tokens["refresh_token"].startswith("NA_")
        access = claims(tokens["access_token"])
        assert access["aud"] == [f"{SIM_BASE}/na", f"{SIM_BASE}/oauth2/v3/userinfo"]
        assert set(access["scp"]) == {"openid", "offline_access", "vehicle_device_data"}
        assert access["azp"] == client.app["client_id"]
        assert access["ou_code"] == "NA"
        assert access["nonce"] == "n-1"
        id_token = claims(tokens["id_token"])
        assert id_token["aud"] == client.app["client_id"]
        assert id_token["email"] == EMAIL
        assert await vehicles_status(sim, tokens) == 200

    async def test_audience_is_what_was_asked(self, client: OAuthClient) -> None:
        tokens = await client.tokens(await client.code_scripted(EMAIL, SCOPE), audience=f"{SIM_BASE}/eu")
        assert claims(tokens["access_token"])["aud"][0] == f"{SIM_BASE}/eu"

    async def test_no_refresh_token_without_offline_access_and_no_id_token_without_openid(
        self, client: OAuthClient
    ) -> None:
        tokens = await client.tokens(await client.code_scripted(EMAIL, "vehicle_device_data"))
        assert "refresh_token" not in tokens
        assert "id_token" not in tokens

    async def test_json_body_is_accepted(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        body = {
            "grant_type": "authorization_code",
            "client_id": client.app["client_id"],
            "client_secret": client.app["client_secret"],
            "code": await client.code_scripted(EMAIL, SCOPE),
            "redirect_uri": client.redirect_uri,
            "audience": f"{SIM_BASE}/na",
        }
        assert (await sim.post("/oauth2/v3/token", json=body)).status_code == 200

    async def test_bad_client_secret(self, client: OAuthClient) -> None:
        response = await client.exchange(await client.code_scripted(EMAIL, SCOPE), client_secret="wrong")
        assert_oauth_error(response, 400, "unauthorized_client")

    async def test_missing_audience(self, client: OAuthClient) -> None:
        response = await client.exchange(await client.code_scripted(EMAIL, SCOPE), audience=None)
        assert_oauth_error(response, 400, "invalid_request")

    async def test_redirect_uri_must_match(self, client: OAuthClient) -> None:
        code = await client.code_scripted(EMAIL, SCOPE)
        response = await client.exchange(code, redirect_uri="https://app.example.com/other")
        assert_oauth_error(response, 400, "invalid_redirect_url")

    async def test_unknown_code(self, client: OAuthClient) -> None:
        assert_oauth_error(await client.exchange("NA_nonsense"), 400, "invalid_auth_code")

    async def test_code_of_another_client(self, client: OAuthClient, factory: SimFactory) -> None:
        code = await client.code_scripted(EMAIL, SCOPE)
        other = await factory.app(name="Other", register=False)
        response = await client.exchange(code, client_id=other["client_id"], client_secret=other["client_secret"])
        assert_oauth_error(response, 400, "invalid_auth_code")

    async def test_code_expires_after_ten_minutes(self, client: OAuthClient, factory: SimFactory) -> None:
        fresh = await client.code_scripted(EMAIL, SCOPE)
        stale = await client.code_scripted(EMAIL, SCOPE)
        await factory.advance(590)
        assert (await client.exchange(fresh)).status_code == 200
        await factory.advance(11)
        assert_oauth_error(await client.exchange(stale), 400, "invalid_auth_code")

    async def test_code_is_single_use_and_a_replay_revokes_what_it_issued(
        self, client: OAuthClient, sim: httpx.AsyncClient
    ) -> None:
        code = await client.code_scripted(EMAIL, SCOPE)
        tokens = await client.tokens(code)
        assert_oauth_error(await client.exchange(code), 400, "invalid_auth_code")
        assert await vehicles_status(sim, tokens) == 401
        assert_oauth_error(await client.refresh(tokens["refresh_token"]), 401, "login_required")

    async def test_a_new_login_revokes_the_older_chain(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        first = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        second = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        assert await vehicles_status(sim, first) == 401
        assert await vehicles_status(sim, second) == 200
        assert_oauth_error(await client.refresh(first["refresh_token"]), 401, "login_required")

    async def test_a_new_login_ends_a_refreshed_chain_too_and_only_that_user_and_app(
        self, client: OAuthClient, sim: httpx.AsyncClient, factory: SimFactory
    ) -> None:
        await factory.account("other@example.com")
        other_app = OAuthClient(sim, await factory.app())
        first = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        rotated = (await client.refresh(first["refresh_token"])).json()
        other_user = await client.tokens(await client.code_scripted("other@example.com", SCOPE))
        same_user_other_app = await other_app.tokens(await other_app.code_scripted(EMAIL, SCOPE))

        second = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        assert claims(second["access_token"])["sub"] == claims(first["access_token"])["sub"]
        assert await vehicles_status(sim, rotated) == 401
        assert_oauth_error(await client.refresh(rotated["refresh_token"]), 401, "login_required")
        assert await vehicles_status(sim, second) == 200
        assert (await client.refresh(other_user["refresh_token"])).status_code == 200
        assert (await other_app.refresh(same_user_other_app["refresh_token"])).status_code == 200


class TestPkce:
    async def test_s256_with_the_right_verifier(self, client: OAuthClient) -> None:
        code = await client.code_scripted(EMAIL, SCOPE, code_challenge=s256(VERIFIER), code_challenge_method="S256")
        assert (await client.exchange(code, code_verifier=VERIFIER)).status_code == 200

    async def test_s256_with_a_wrong_verifier(self, client: OAuthClient) -> None:
        code = await client.code_scripted(EMAIL, SCOPE, code_challenge=s256(VERIFIER), code_challenge_method="S256")
        assert_oauth_error(await client.exchange(code, code_verifier=VERIFIER + "x"), 400, "invalid_grant")
        assert_oauth_error(await client.exchange(code), 400, "invalid_grant")
        # A failed proof does not use up the code.
        assert (await client.exchange(code, code_verifier=VERIFIER)).status_code == 200

    async def test_plain(self, client: OAuthClient) -> None:
        code = await client.code_scripted(EMAIL, SCOPE, code_challenge=VERIFIER, code_challenge_method="plain")
        assert_oauth_error(await client.exchange(code, code_verifier=s256(VERIFIER)), 400, "invalid_grant")
        assert (await client.exchange(code, code_verifier=VERIFIER)).status_code == 200

    async def test_a_verifier_without_a_challenge_is_refused(self, client: OAuthClient) -> None:
        code = await client.code_scripted(EMAIL, SCOPE)
        assert_oauth_error(await client.exchange(code, code_verifier=VERIFIER), 400, "invalid_grant")


class TestRefreshTokenGrant:
    async def test_rotates_to_a_new_pair(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        first = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        response = await client.refresh(first["refresh_token"])
        assert response.status_code == 200
        second = response.json()
        assert second["refresh_token"].startswith("NA_")
        assert second["refresh_token"] != first["refresh_token"]
        assert second["access_token"] != first["access_token"]
        assert second["expires_in"] == 28800
        assert await vehicles_status(sim, second) == 200

    async def test_used_token_stays_valid_for_24_hours(self, client: OAuthClient, factory: SimFactory) -> None:
        first = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        assert (await client.refresh(first["refresh_token"])).status_code == 200
        await factory.advance(23 * HOUR)
        assert (await client.refresh(first["refresh_token"])).status_code == 200
        await factory.advance(2 * HOUR)
        assert_oauth_error(await client.refresh(first["refresh_token"]), 401, "login_required")

    async def test_the_token_before_the_last_used_one_fails_at_once(self, client: OAuthClient) -> None:
        first = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        second = (await client.refresh(first["refresh_token"])).json()
        third = (await client.refresh(second["refresh_token"])).json()
        assert_oauth_error(await client.refresh(first["refresh_token"]), 401, "login_required")
        assert (await client.refresh(third["refresh_token"])).status_code == 200

    async def test_expires_after_three_months(self, client: OAuthClient, factory: SimFactory) -> None:
        kept = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        await factory.advance(89 * 24 * HOUR)
        assert (await client.refresh(kept["refresh_token"])).status_code == 200

        stale = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        await factory.advance(90 * 24 * HOUR + 1)
        assert_oauth_error(await client.refresh(stale["refresh_token"]), 401, "login_required")

    async def test_unknown_token_or_wrong_client(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        tokens = await client.tokens(await client.code_scripted(EMAIL, SCOPE))
        assert_oauth_error(await client.refresh("NA_unknown"), 401, "login_required")
        body = {"grant_type": "refresh_token", "client_id": "someone-else", "refresh_token": tokens["refresh_token"]}
        assert_oauth_error(await sim.post("/oauth2/v3/token", data=body), 401, "login_required")


class TestClientCredentialsGrant:
    async def _post(self, sim: httpx.AsyncClient, client: OAuthClient, **overrides: str | None) -> httpx.Response:
        body = {
            "grant_type": "client_credentials",
            "client_id": client.app["client_id"],
            "client_secret": client.app["client_secret"],
            "audience": f"{SIM_BASE}/eu",
            "scope": "openid vehicle_device_data vehicle_specs",
            **overrides,
        }
        return await sim.post("/oauth2/v3/token", data={k: v for k, v in body.items() if v is not None})

    async def test_partner_token_claims(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        response = await self._post(sim, client)
        assert response.status_code == 200
        tokens = response.json()
        assert "refresh_token" not in tokens
        assert tokens["token_type"] == "Bearer"
        access = claims(tokens["access_token"])
        assert access["sub"] == client.app["client_id"]
        assert access["azp"] == client.app["client_id"]
        assert access["aud"] == [f"{SIM_BASE}/eu"]
        assert set(access["scp"]) == {"openid", "vehicle_device_data", "vehicle_specs"}
        assert "ou_code" not in access
        assert access["exp"] - access["iat"] == 28800

    async def test_needs_an_audience(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        assert_oauth_error(await self._post(sim, client, audience=None), 400, "invalid_request")

    async def test_needs_the_client_secret(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        assert_oauth_error(await self._post(sim, client, client_secret="nope"), 400, "unauthorized_client")
        assert_oauth_error(await self._post(sim, client, client_secret=None), 400, "unauthorized_client")

    async def test_unknown_scope(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        assert_oauth_error(await self._post(sim, client, scope="openid warp_drive"), 400, "invalid_scope")


class TestGrantTypes:
    @pytest.mark.parametrize("grant_type", ["password", "implicit", ""])
    async def test_anything_else_is_unsupported(self, sim: httpx.AsyncClient, grant_type: str) -> None:
        response = await sim.post("/oauth2/v3/token", data={"grant_type": grant_type, "client_id": "x"})
        assert_oauth_error(response, 400, "unsupported_grant_type")
