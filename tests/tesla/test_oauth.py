"""OAuth against the simulator's auth server: the authorize URL, code exchange, refresh rotation, partner tokens."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI

from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.claims import read_claims
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import AuthError, LoginRequired
from fleetgate.tesla.fleet import FleetSession
from fleetgate.tesla.oauth import AuthorizationRequest, OAuthClient, RefreshingToken, TokenSet, authorization_request
from tests.simulator.auth_helpers import page
from tests.simulator.factories import REDIRECT_URI, SimFactory

EMAIL = "owner@example.com"
HOUR = 3600.0


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


class Persisted:
    """A persistence callback that stores what it is given, or fails like a crash before the write."""

    def __init__(self, *, crash: bool = False) -> None:
        self.saved: list[TokenSet] = []
        self.crash = crash

    async def __call__(self, tokens: TokenSet) -> None:
        if self.crash:
            raise OSError("the process died before the refresh token was written")
        self.saved.append(tokens)


class CrashBeforeSaving(OSError):
    pass


async def consent(
    http: httpx.AsyncClient,
    endpoints: TeslaEndpoints,
    app: dict[str, Any],
    scopes: list[str],
    *,
    grant: str | None = None,
    **flags: bool,
) -> tuple[AuthorizationRequest, httpx.Response]:
    """The authorize URL the client builds, opened as the user with the simulator's scripted consent."""
    request = authorization_request(
        endpoints,
        client_id=app["client_id"],
        redirect_uri=REDIRECT_URI,
        scopes=scopes,
        extra={"login_hint": EMAIL, "sim_grant": grant if grant is not None else " ".join(["offline_access", *scopes])},
        **flags,
    )
    return request, await http.get(request.url)


async def sign_in(
    factory: SimFactory, http: httpx.AsyncClient, endpoints: TeslaEndpoints, scopes: list[str]
) -> tuple[OAuthClient, TokenSet]:
    app = await factory.app()
    await factory.account(EMAIL)
    oauth = OAuthClient(http, endpoints, app["client_id"], app["client_secret"])
    request, response = await consent(http, endpoints, app, scopes)
    code = request.code_from_callback(response.headers["location"])
    tokens = await oauth.exchange_code(
        code=code, redirect_uri=REDIRECT_URI, code_verifier=request.code_verifier, audience=endpoints.base_url("na")
    )
    return oauth, tokens


def user_api(http: httpx.AsyncClient, endpoints: TeslaEndpoints, tokens: RefreshingToken) -> FleetApi:
    return FleetApi(FleetSession(http, endpoints, tokens, "na"))


class TestAuthorizationRequest:
    def test_the_url_carries_state_pkce_nonce_and_every_flag_percent_encoded(self, endpoints: TeslaEndpoints) -> None:
        request = authorization_request(
            endpoints,
            client_id="client-1",
            redirect_uri="https://app.example.com/callback?from=tesla",
            scopes=["vehicle_device_data", "vehicle_cmds"],
            prompt_missing_scopes=True,
            require_requested_scopes=True,
            show_keypair_step=True,
            locale="en-US",
        )
        raw_query = urlsplit(request.url).query
        assert request.url.startswith(endpoints.authorize_url + "?")
        # Spaces as %20 and the redirect URI's own '?', '/' and '=' escaped: any server's parser reads it the same.
        assert "+" not in raw_query
        assert "scope=openid%20offline_access%20vehicle_device_data%20vehicle_cmds" in raw_query
        assert "redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback%3Ffrom%3Dtesla" in raw_query
        query = query_of(request.url)
        assert query["response_type"] == ["code"]
        assert query["client_id"] == ["client-1"]
        assert query["redirect_uri"] == ["https://app.example.com/callback?from=tesla"]
        assert query["state"] == [request.oauth_state]
        assert query["nonce"] == [request.nonce]
        assert query["code_challenge"] == [s256(request.code_verifier)]
        assert query["code_challenge_method"] == ["S256"]
        assert 43 <= len(request.code_verifier) <= 128
        assert query["prompt_missing_scopes"] == ["true"]
        assert query["require_requested_scopes"] == ["true"]
        assert query["show_keypair_step"] == ["true"]
        assert query["locale"] == ["en-US"]

    def test_flags_are_left_out_unless_asked_for(self, endpoints: TeslaEndpoints) -> None:
        query = query_of(authorization_request(endpoints, client_id="c", redirect_uri=REDIRECT_URI, scopes=[]).url)
        assert query["scope"] == ["openid offline_access"]
        for flag in ("prompt_missing_scopes", "require_requested_scopes", "show_keypair_step", "locale"):
            assert flag not in query

    def test_every_request_draws_fresh_secrets(self, endpoints: TeslaEndpoints) -> None:
        first, second = (
            authorization_request(endpoints, client_id="c", redirect_uri=REDIRECT_URI, scopes=[]) for _ in range(2)
        )
        assert first.oauth_state != second.oauth_state
        assert first.nonce != second.nonce
        assert first.code_verifier != second.code_verifier

    def test_extra_parameters_cannot_replace_the_secrets(self, endpoints: TeslaEndpoints) -> None:
        with pytest.raises(ValueError, match="state"):
            authorization_request(
                endpoints, client_id="c", redirect_uri=REDIRECT_URI, scopes=[], extra={"state": "chosen"}
            )

    async def test_the_simulator_reads_the_flags_from_the_url(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        app = await factory.app()
        await factory.account(EMAIL)
        request = authorization_request(
            endpoints,
            client_id=app["client_id"],
            redirect_uri=REDIRECT_URI,
            scopes=["vehicle_cmds"],
            require_requested_scopes=True,
            show_keypair_step=True,
            extra={"login_hint": EMAIL},
        )
        sign_in_page = await tesla_http.get(request.url)
        form = page(sign_in_page).form("/oauth2/v3/authorize")
        consent_page = page(await tesla_http.post(endpoints.authorize_url, data=form.data(identity=EMAIL)))
        assert "add a virtual key" in consent_page.text
        assert "needs every permission listed" in consent_page.text


class TestCodeExchange:
    async def test_the_scripted_consent_returns_a_code_exchanged_with_audience(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        app = await factory.app()
        account = await factory.account(EMAIL)
        oauth = OAuthClient(tesla_http, endpoints, app["client_id"], app["client_secret"])
        request, response = await consent(tesla_http, endpoints, app, ["vehicle_device_data", "vehicle_cmds"])
        assert response.status_code == 302
        code = request.code_from_callback(response.headers["location"])
        tokens = await oauth.exchange_code(
            code=code,
            redirect_uri=REDIRECT_URI,
            code_verifier=request.code_verifier,
            audience=endpoints.base_url("na"),
        )
        claims = tokens.claims
        assert set(claims.scopes) == {"openid", "offline_access", "vehicle_device_data", "vehicle_cmds"}
        assert claims.subject == account["id"]
        assert claims.client_id == app["client_id"]
        assert claims.ou_code == "NA"
        assert endpoints.base_url("na") in claims.audience
        assert claims.raw["nonce"] == request.nonce
        assert claims.expires_at is not None
        assert claims.issued_at is not None
        assert claims.expires_at - claims.issued_at == 8 * 3600
        assert tokens.expires_at == claims.expires_at
        assert tokens.refresh_token is not None
        assert tokens.refresh_token.startswith("NA_")
        assert tokens.id_token is not None
        assert endpoints.region_from_claims(claims.ou_code, claims.audience) == "na"

    async def test_a_callback_with_another_state_is_refused(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        app = await factory.app()
        await factory.account(EMAIL)
        _, response = await consent(tesla_http, endpoints, app, ["vehicle_cmds"])
        other = authorization_request(endpoints, client_id=app["client_id"], redirect_uri=REDIRECT_URI, scopes=[])
        with pytest.raises(AuthError) as refused:
            other.code_from_callback(response.headers["location"])
        assert refused.value.error == "state"

    def test_an_error_on_the_callback_is_raised_with_its_code(self, endpoints: TeslaEndpoints) -> None:
        request = authorization_request(endpoints, client_id="c", redirect_uri=REDIRECT_URI, scopes=[])
        denied = f"{REDIRECT_URI}?error=access_denied&error_description=The+user+denied&state={request.oauth_state}"
        with pytest.raises(AuthError) as refused:
            request.code_from_callback(denied)
        assert refused.value.error == "access_denied"
        assert refused.value.reason == "The user denied"

    async def test_another_verifier_does_not_redeem_the_code(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        app = await factory.app()
        await factory.account(EMAIL)
        oauth = OAuthClient(tesla_http, endpoints, app["client_id"], app["client_secret"])
        request, response = await consent(tesla_http, endpoints, app, ["vehicle_cmds"])
        other = authorization_request(endpoints, client_id=app["client_id"], redirect_uri=REDIRECT_URI, scopes=[])
        with pytest.raises(AuthError) as refused:
            await oauth.exchange_code(
                code=request.code_from_callback(response.headers["location"]),
                redirect_uri=REDIRECT_URI,
                code_verifier=other.code_verifier,
                audience=endpoints.base_url("na"),
            )
        assert refused.value.error == "invalid_grant"
        assert refused.value.status == 400

    async def test_prompt_missing_scopes_makes_tesla_ask_for_the_new_ones(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        oauth, first = await sign_in(factory, tesla_http, endpoints, ["vehicle_device_data"])
        app = {"client_id": oauth.client_id}
        wanted = ["vehicle_device_data", "vehicle_cmds"]

        async def scopes_after(**flags: bool) -> set[str]:
            request, response = await consent(tesla_http, endpoints, app, wanted, **flags)
            tokens = await oauth.exchange_code(
                code=request.code_from_callback(response.headers["location"]),
                redirect_uri=REDIRECT_URI,
                code_verifier=request.code_verifier,
                audience=endpoints.base_url("na"),
            )
            return set(tokens.claims.scopes)

        assert "vehicle_cmds" not in first.claims.scopes
        # Without the flag Tesla answers with the earlier consent and never shows the new box.
        assert "vehicle_cmds" not in await scopes_after()
        assert "vehicle_cmds" in await scopes_after(prompt_missing_scopes=True)

    async def test_require_requested_scopes_keeps_the_user_on_the_consent_page(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        app = await factory.app()
        await factory.account(EMAIL)
        wanted = ["vehicle_device_data", "vehicle_cmds"]
        _, partial = await consent(tesla_http, endpoints, app, wanted, grant="vehicle_device_data")
        assert partial.status_code == 302  # without the flag a partial grant is accepted
        _, insisted = await consent(
            tesla_http, endpoints, app, wanted, grant="vehicle_device_data", require_requested_scopes=True
        )
        # No redirect and so no code: the consent page again, telling the user every box is needed.
        assert insisted.status_code == 400
        assert "needs every permission listed" in page(insisted).text


class TestRefresh:
    async def test_the_rotated_token_is_persisted_before_refresh_returns(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        oauth, tokens = await sign_in(factory, tesla_http, endpoints, ["user_data"])
        assert tokens.refresh_token is not None
        persisted = Persisted()
        fresh = await oauth.refresh(tokens.refresh_token, persisted)
        assert persisted.saved == [fresh]
        assert fresh.refresh_token is not None
        assert fresh.refresh_token != tokens.refresh_token
        assert fresh.access_token != tokens.access_token
        me = await user_api(tesla_http, endpoints, RefreshingToken(oauth, fresh, persisted)).me()
        assert me["email"] == EMAIL

    async def test_no_request_carries_the_new_access_token_before_it_is_persisted(
        self, factory: SimFactory, sim_app: FastAPI, endpoints: TeslaEndpoints
    ) -> None:
        events: list[str] = []

        async def record(request: httpx.Request) -> None:
            if "/api/1/" in request.url.path:
                events.append(request.headers["authorization"].removeprefix("Bearer "))

        transport = httpx.ASGITransport(app=sim_app)
        async with httpx.AsyncClient(transport=transport, event_hooks={"request": [record]}) as http:
            oauth, tokens = await sign_in(factory, http, endpoints, ["user_data"])

            async def persist(new: TokenSet) -> None:
                events.append(f"persisted {new.access_token}")

            source = RefreshingToken(oauth, tokens, persist)
            await factory.advance(8 * HOUR + 60)  # Tesla now answers the old token with a bare 401
            await user_api(http, endpoints, source).me()
        new = source.tokens.access_token
        assert events == [tokens.access_token, f"persisted {new}", new]

    async def test_a_crash_before_persisting_recovers_with_the_old_token_within_24_hours(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        oauth, tokens = await sign_in(factory, tesla_http, endpoints, ["user_data"])
        source = RefreshingToken(oauth, tokens, Persisted(crash=True))
        with pytest.raises(OSError, match="died"):
            await source.refreshed_after(tokens.access_token)
        assert source.tokens == tokens  # nothing half-adopted: the old pair is still the one held
        await factory.advance(23 * HOUR)
        recovered = RefreshingToken(oauth, tokens, Persisted())
        await recovered.refreshed_after(tokens.access_token)
        assert recovered.tokens.refresh_token != tokens.refresh_token
        assert (await user_api(tesla_http, endpoints, recovered).me())["email"] == EMAIL

    async def test_after_24_hours_the_old_token_is_dead(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        oauth, tokens = await sign_in(factory, tesla_http, endpoints, ["user_data"])
        assert tokens.refresh_token is not None
        with pytest.raises(OSError, match="died"):
            await oauth.refresh(tokens.refresh_token, Persisted(crash=True))
        await factory.advance(24 * HOUR + 1)
        with pytest.raises(LoginRequired) as dead:
            await oauth.refresh(tokens.refresh_token, Persisted())
        assert dead.value.error == "login_required"
        assert dead.value.status == 401

    async def test_rotation_retires_a_token_two_generations_back(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        oauth, first = await sign_in(factory, tesla_http, endpoints, ["user_data"])
        assert first.refresh_token is not None
        second = await oauth.refresh(first.refresh_token, Persisted())
        assert second.refresh_token is not None
        third = await oauth.refresh(second.refresh_token, Persisted())
        assert len({first.refresh_token, second.refresh_token, third.refresh_token}) == 3
        # Only the most recently used token keeps its grace: the first one is no longer it.
        with pytest.raises(LoginRequired):
            await oauth.refresh(first.refresh_token, Persisted())

    async def test_an_unknown_refresh_token_is_login_required(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        oauth, _ = await sign_in(factory, tesla_http, endpoints, ["user_data"])
        with pytest.raises(LoginRequired) as refused:
            await oauth.refresh("NA_" + "0" * 64, Persisted())
        assert refused.value.error == "login_required"

    async def test_concurrent_callers_share_one_refresh(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        oauth, tokens = await sign_in(factory, tesla_http, endpoints, ["user_data"])
        persisted = Persisted()
        source = RefreshingToken(oauth, tokens, persisted)
        fresh = await asyncio.gather(*(source.refreshed_after(tokens.access_token) for _ in range(5)))
        assert len(persisted.saved) == 1
        assert set(fresh) == {persisted.saved[0].access_token}

    async def test_a_token_about_to_expire_is_refreshed_before_it_is_sent(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        oauth, tokens = await sign_in(factory, tesla_http, endpoints, ["user_data"])
        persisted = Persisted()
        # The client's clock reads 30 s before expiry, inside the one-minute leeway.
        source = RefreshingToken(oauth, tokens, persisted, clock=lambda: tokens.expires_at - 30)
        session = FleetSession(tesla_http, endpoints, source, "na")
        await FleetApi(session).me()
        assert len(persisted.saved) == 1
        assert session.calls == 1  # no 401 round trip


class TestPartnerToken:
    async def test_client_credentials_with_audience_give_an_app_token(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        app = await factory.app()
        oauth = OAuthClient(tesla_http, endpoints, app["client_id"], app["client_secret"])
        tokens = await oauth.partner_token(audience=endpoints.base_url("eu"))
        assert tokens.refresh_token is None
        assert tokens.claims.subject == app["client_id"]
        assert tokens.claims.ou_code is None
        assert tokens.claims.audience == (endpoints.base_url("eu"),)
        assert tokens.claims.scopes == ("openid",)
        assert endpoints.region_from_claims(tokens.claims.ou_code, tokens.claims.audience) == "eu"

    async def test_a_wrong_secret_is_an_auth_error(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        app = await factory.app()
        oauth = OAuthClient(tesla_http, endpoints, app["client_id"], "not-the-secret")
        with pytest.raises(AuthError) as refused:
            await oauth.partner_token(audience=endpoints.base_url("na"))
        assert refused.value.error == "unauthorized_client"
        assert refused.value.status == 400
        assert not isinstance(refused.value, LoginRequired)


def unsigned_jwt(payload: dict[str, Any]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(payload)}."


class TestClaims:
    async def test_scopes_the_client_does_not_know_are_kept(self, factory: SimFactory) -> None:
        app = await factory.app()
        account = await factory.account(EMAIL)
        tokens = await factory.tokens(app["client_id"], account["id"], "openid vehicle_cmds energy_future_scope")
        claims = read_claims(tokens["access_token"])
        assert set(claims.scopes) == {"openid", "vehicle_cmds", "energy_future_scope"}
        assert claims.ou_code == "NA"
        assert claims.subject == account["id"]

    def test_claims_in_other_shapes_are_read(self) -> None:
        claims = read_claims(
            unsigned_jwt({"sub": "u-1", "scp": "openid new_scope", "aud": "https://fleet", "exp": "1700000000"})
        )
        assert claims.scopes == ("openid", "new_scope")
        assert claims.audience == ("https://fleet",)
        assert claims.expires_at == 1_700_000_000
        assert claims.ou_code is None
        assert claims.client_id is None

    def test_a_token_that_is_not_a_jwt_is_an_auth_error(self) -> None:
        with pytest.raises(AuthError):
            read_claims("opaque-token")
