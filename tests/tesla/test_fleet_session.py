"""`FleetSession` against the simulator's real answers: regions (421), token refresh (401), and every typed error."""

from __future__ import annotations

import inspect
import re
from typing import Any

import httpx
import pytest

from fleetgate.tesla import errors
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import Region, TeslaEndpoints
from fleetgate.tesla.errors import (
    CommandRefused,
    LoginRequired,
    MissingScopes,
    MobileAccessDisabled,
    NotRegisteredInRegion,
    PaymentRequired,
    ProtocolRequired,
    RateLimited,
    TeslaError,
    TokenExpired,
    UpstreamError,
    VehicleUnavailable,
    WrongRegion,
)
from fleetgate.tesla.fleet import FleetSession, StaticToken
from fleetgate.tesla.http import error_for, redirect_target
from fleetgate.tesla.oauth import OAuthClient, RefreshingToken, TokenSet
from tests.simulator.factories import SimFactory
from tests.tesla.support import add_fault, connect, patch_vehicle

HOUR = 3600.0


class TestRegions:
    async def test_a_421_is_followed_once_to_the_region_tesla_names_and_reported(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, region="eu", session_region="na")
        reported: list[Region] = []

        async def remember(region: Region) -> None:
            reported.append(region)

        env.session.on_region_change = remember
        vehicles = await env.api.vehicles()
        assert [v["vin"] for v in vehicles] == [env.vin]
        assert reported == ["eu"]
        assert env.session.region == "eu"
        assert env.session.calls == 2
        await env.api.vehicles()  # the next call goes straight to the right region
        assert env.session.calls == 3
        assert reported == ["eu"]

    async def test_a_second_421_is_not_followed(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, sim: httpx.AsyncClient
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, region="eu", session_region="na")
        reported: list[Region] = []

        async def remember(region: Region) -> None:
            reported.append(region)

        env.session.on_region_change = remember
        await add_fault(
            sim,
            path="/eu/api/1/vehicles",
            status=421,
            count=1,
            body={"response": None, "error": "user out of region, use base URL: http://sim.test/cn, see docs"},
        )
        with pytest.raises(WrongRegion) as wrong:
            await env.api.vehicles()
        assert wrong.value.base_url == "http://sim.test/cn"
        assert reported == ["eu"]
        assert env.session.calls == 2

    async def test_the_target_is_read_from_the_error_or_from_alt_svc(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, region="eu")
        answer = await tesla_http.get(
            f"{endpoints.base_url('na')}/api/1/vehicles",
            headers={"Authorization": f"Bearer {env.tokens['access_token']}"},
        )
        assert answer.status_code == 421
        assert redirect_target(answer) == endpoints.base_url("eu")
        assert "alt-svc" in answer.headers
        # Tesla's proxy also honours the header alone, as a bare host or a URL.
        bare = httpx.Response(421, headers={"Alt-Svc": "h2=fleet-api.prd.eu.vn.cloud.tesla.com"})
        assert redirect_target(bare) == "https://fleet-api.prd.eu.vn.cloud.tesla.com"
        quoted = httpx.Response(421, headers={"Alt-Svc": answer.headers["alt-svc"]})
        assert redirect_target(quoted) == endpoints.base_url("eu")

    async def test_the_region_comes_from_the_token(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        from fleetgate.tesla.claims import read_claims

        env = await connect(factory, tesla_http, endpoints, region="eu")
        claims = read_claims(env.tokens["access_token"])
        assert endpoints.region_from_claims(claims.ou_code, claims.audience) == "eu"
        assert endpoints.region_from_claims(None, claims.audience) == "eu"
        assert (await env.api.user_region())["region"] == "eu"


class TestTokenRefresh:
    async def test_a_bare_401_refreshes_once_and_sends_again(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        persisted: list[TokenSet] = []

        async def persist(tokens: TokenSet) -> None:
            persisted.append(tokens)

        oauth = OAuthClient(tesla_http, endpoints, env.client_id, env.app["client_secret"])
        assert env.tokens["refresh_token"]
        bootstrap = await oauth.refresh(env.tokens["refresh_token"], persist)
        env.session.tokens = RefreshingToken(oauth, bootstrap, persist)
        await factory.advance(8 * HOUR + 1)
        assert (await env.api.vehicle(env.vin))["vin"] == env.vin
        assert len(persisted) == 2
        assert env.session.calls == 2

    async def test_a_bare_401_without_a_way_to_refresh_is_token_expired(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        await factory.advance(8 * HOUR + 1)
        with pytest.raises(TokenExpired) as expired:
            await env.api.vehicles()
        assert (expired.value.may_have_succeeded, expired.value.temporary) == (False, False)

    async def test_a_revoked_grant_ends_in_login_required(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, sim: httpx.AsyncClient
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        oauth = OAuthClient(tesla_http, endpoints, env.client_id, env.app["client_secret"])

        async def persist(tokens: TokenSet) -> None:
            return None

        tokens = await oauth.refresh(env.tokens["refresh_token"], persist)
        env.session.tokens = RefreshingToken(oauth, tokens, persist)
        # A new login by the same user in the same app revokes the older chain and its access tokens.
        await factory.tokens(env.client_id, env.account["id"])
        with pytest.raises(LoginRequired) as ended:
            await env.api.vehicles()
        assert ended.value.error == "login_required"
        assert not ended.value.may_have_succeeded


def marks(error: TeslaError) -> tuple[bool, bool]:
    return error.may_have_succeeded, error.temporary


class TestErrorMapping:
    async def test_missing_scopes_name_the_scopes(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, scopes="openid vehicle_device_data")
        with pytest.raises(MissingScopes) as missing:
            await env.api.vehicle_data(env.vin, ["location_data"])
        assert missing.value.scopes == ("vehicle_location",)
        assert missing.value.reason == "Unauthorized missing scopes"
        with pytest.raises(MissingScopes) as missing:
            await env.api.command(env.vin, "set_charge_limit", {"percent": 70})
        assert missing.value.scopes == ("vehicle_cmds", "vehicle_charging_cmds")
        assert marks(missing.value) == (False, False)

    def test_scope_names_appended_to_the_error_itself_are_read(self) -> None:
        answer = httpx.Response(403, json={"response": None, "error": "Unauthorized missing scopes vehicle_location"})
        error = error_for(answer)
        assert isinstance(error, MissingScopes)
        assert error.scopes == ("vehicle_location",)

    async def test_a_rest_command_to_a_car_that_requires_signing(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, command_signing="required")
        with pytest.raises(ProtocolRequired) as required:
            await env.api.command(env.vin, "honk_horn")
        assert required.value.reason.startswith("Tesla Vehicle Command Protocol required")
        assert marks(required.value) == (False, False)

    async def test_an_asleep_car_is_unavailable(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, state="asleep")
        with pytest.raises(VehicleUnavailable) as unavailable:
            await env.api.vehicle_data(env.vin)
        assert unavailable.value.reason == errors.VEHICLE_UNAVAILABLE_REASON
        assert unavailable.value.status == 408
        assert marks(unavailable.value) == (False, True)

    async def test_an_app_not_registered_in_the_region(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, sim: httpx.AsyncClient
    ) -> None:
        app = await factory.app(register=False)
        response = await sim.post(
            f"/sim/apps/{app['client_id']}/partner_accounts",
            json={"domain": "app.example.com", "public_key": app["public_key_pem"], "regions": ["na"]},
        )
        assert response.status_code == 201
        account = await factory.account(region="eu")
        tokens = await factory.tokens(app["client_id"], account["id"])
        api = FleetApi(FleetSession(tesla_http, endpoints, StaticToken(tokens["access_token"]), "eu"))
        with pytest.raises(NotRegisteredInRegion) as unregistered:
            await api.vehicles()
        assert "must be registered in the current region" in unregistered.value.reason
        assert marks(unregistered.value) == (False, False)

    async def test_mobile_access_off_is_its_own_error_not_a_reconnect(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, sim: httpx.AsyncClient
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        await patch_vehicle(sim, env.vin, mobile_access_disabled=True)
        with pytest.raises(MobileAccessDisabled) as disabled:
            await env.api.vehicle_data(env.vin)
        assert disabled.value.status == 401
        assert env.session.calls == 1  # no refresh attempted: the token is fine
        assert marks(disabled.value) == (False, False)

    async def test_a_rate_limit_carries_retry_after(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, command_signing="allowed")
        for _ in range(30):
            await env.api.command(env.vin, "honk_horn")
        with pytest.raises(RateLimited) as limited:
            await env.api.command(env.vin, "honk_horn")
        body: Any = limited.value.body
        announced = re.fullmatch(r"Retry in (\d+) seconds", body["error_description"])
        assert announced is not None
        assert limited.value.retry_after == float(announced.group(1))
        assert 0 < limited.value.retry_after <= 60
        assert marks(limited.value) == (False, True)

    def test_retry_after_as_a_date_or_only_ratelimit_reset(self) -> None:
        dated = error_for(httpx.Response(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
        assert isinstance(dated, RateLimited)
        assert dated.retry_after == 0.0
        reset_only = error_for(httpx.Response(429, headers={"RateLimit-Reset": "17"}))
        assert isinstance(reset_only, RateLimited)
        assert reset_only.retry_after == 17.0
        garbage = error_for(httpx.Response(429, headers={"Retry-After": "soon"}))
        assert isinstance(garbage, RateLimited)
        assert garbage.retry_after == 60.0

    @pytest.mark.parametrize(
        ("status", "may_have_succeeded", "temporary"),
        [(500, True, True), (503, False, True), (504, True, True), (540, True, True), (418, False, False)],
    )
    async def test_upstream_errors_say_whether_they_may_have_succeeded_and_are_temporary(
        self,
        factory: SimFactory,
        tesla_http: httpx.AsyncClient,
        endpoints: TeslaEndpoints,
        sim: httpx.AsyncClient,
        status: int,
        may_have_succeeded: bool,
        temporary: bool,
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        await add_fault(sim, path="vehicle_data", status=status, count=1, body={"response": None, "error": "boom"})
        with pytest.raises(UpstreamError) as failed:
            await env.api.vehicle_data(env.vin)
        assert failed.value.status == status
        assert marks(failed.value) == (may_have_succeeded, temporary)
        assert env.session.calls == 1  # not retried by the client itself
        assert (await env.api.vehicle_data(env.vin))["vin"] == env.vin

    async def test_payment_required(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints, sim: httpx.AsyncClient
    ) -> None:
        env = await connect(factory, tesla_http, endpoints)
        await add_fault(sim, path="vehicle_data", status=402, count=1, body={"response": None, "error": "payment"})
        with pytest.raises(PaymentRequired):
            await env.api.vehicle_data(env.vin)

    async def test_a_refused_command_carries_tesla_reason(
        self, factory: SimFactory, tesla_http: httpx.AsyncClient, endpoints: TeslaEndpoints
    ) -> None:
        env = await connect(factory, tesla_http, endpoints, command_signing="allowed")
        with pytest.raises(CommandRefused) as refused:
            await env.api.command(env.vin, "charge_start")
        assert refused.value.reason == "disconnected"
        # A parameter Tesla cannot use: HTTP 400 with the refusal's shape; the reason survives.
        with pytest.raises(CommandRefused) as invalid:
            await env.api.command(env.vin, "set_charging_amps", {"charging_amps": "lots"})
        assert invalid.value.status == 400
        assert "charging_amps" in invalid.value.reason
        assert marks(refused.value) == (False, False)


def fail_with(exc: type[httpx.TransportError]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("simulated", request=request)

    return httpx.MockTransport(handler)


class TestTransportFailures:
    """What the simulator cannot produce: a connection refused or a read that never ends."""

    @pytest.mark.parametrize("method", ["GET", "POST"])
    async def test_a_request_that_never_left_may_always_be_sent_again(
        self, endpoints: TeslaEndpoints, method: str
    ) -> None:
        async with httpx.AsyncClient(transport=fail_with(httpx.ConnectError)) as http:
            session = FleetSession(http, endpoints, StaticToken("t"), "na")
            with pytest.raises(UpstreamError) as failed:
                await session.request(method, "/api/1/vehicles/V/command/honk_horn")
        assert marks(failed.value) == (False, True)

    @pytest.mark.parametrize("method", ["GET", "POST"])
    async def test_a_timeout_after_sending_may_have_succeeded(self, endpoints: TeslaEndpoints, method: str) -> None:
        async with httpx.AsyncClient(transport=fail_with(httpx.ReadTimeout)) as http:
            session = FleetSession(http, endpoints, StaticToken("t"), "na")
            with pytest.raises(UpstreamError) as failed:
                await session.request(method, "/api/1/vehicles/V/command/honk_horn")
        # Whether sending it again is safe is the caller's to decide: it knows whether the request was idempotent.
        assert marks(failed.value) == (True, True)


class TestErrorMarks:
    def test_every_error_class_has_a_row_in_the_docstring(self) -> None:
        classes = [
            cls
            for _, cls in inspect.getmembers(errors, inspect.isclass)
            if issubclass(cls, TeslaError) and cls is not TeslaError
        ]
        tree = (errors.__doc__ or "").split("Each error is marked")[0]
        for cls in classes:
            assert re.search(rf"── {cls.__name__}\s", tree), cls

    def test_upstream_errors_are_marked_where_they_are_raised(self) -> None:
        assert marks(UpstreamError.answered("x", 503)) == (False, True)
        assert marks(UpstreamError.answered("x", 502)) == (True, True)
        assert marks(UpstreamError.answered("x", 400)) == (False, False)
        assert marks(UpstreamError.not_sent("x")) == (False, True)
        assert marks(UpstreamError.answer_lost("x")) == (True, True)
        assert marks(UpstreamError("x")) == (False, False)
