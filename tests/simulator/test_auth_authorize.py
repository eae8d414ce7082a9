"""`/oauth2/v3/authorize`: request checks, sign-in, the consent page, scripted consent and earlier consent."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
import pytest

from tests.simulator.auth_helpers import OAuthClient, callback, page
from tests.simulator.factories import REDIRECT_URI, SimFactory

EMAIL = "owner@example.com"


@pytest.fixture
async def client(factory: SimFactory, sim: httpx.AsyncClient) -> OAuthClient:
    await factory.account(EMAIL)
    return OAuthClient(sim, await factory.app())


def scp(tokens: dict[str, Any]) -> set[str]:
    return set(jwt.decode(tokens["access_token"], options={"verify_signature": False})["scp"])


class TestUntrustedRequests:
    async def test_unknown_client_gets_an_error_page_not_a_redirect(self, client: OAuthClient) -> None:
        client.app = {**client.app, "client_id": "no-such-client"}
        response = await client.authorize("openid")
        assert response.status_code == 400
        assert "location" not in response.headers
        assert "not recognized" in page(response).text

    async def test_unregistered_redirect_uri_gets_an_error_page(self, client: OAuthClient) -> None:
        client.redirect_uri = "https://evil.example.net/callback"
        response = await client.authorize("openid")
        assert response.status_code == 400
        assert "location" not in response.headers

    async def test_missing_redirect_uri_gets_an_error_page(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        query = urlencode({"response_type": "code", "client_id": client.app["client_id"], "scope": "openid"})
        response = await sim.get(f"/oauth2/v3/authorize?{query}&state=s")
        assert response.status_code == 400
        assert "location" not in response.headers


class TestRedirectedErrors:
    async def test_response_type_other_than_code(self, client: OAuthClient) -> None:
        result = callback(await client.authorize("openid", response_type="token"))
        assert result["error"] == "unsupported_response_type"
        assert result["state"] == "st4te"
        assert result["error_description"]

    async def test_missing_state(self, client: OAuthClient) -> None:
        result = callback(await client.authorize("openid", state=""))
        assert result["error"] == "invalid_request"
        assert "state" not in result

    async def test_missing_scope(self, client: OAuthClient) -> None:
        result = callback(await client.authorize(""))
        assert result["error"] == "invalid_request"
        assert result["state"] == "st4te"

    async def test_unknown_scope(self, client: OAuthClient) -> None:
        result = callback(await client.authorize("openid vehicle_teleport"))
        assert result["error"] == "invalid_scope"
        assert "vehicle_teleport" in result["error_description"]

    @pytest.mark.parametrize("scope", ["vehicle_specs", "vehicle_pricing_info"])
    async def test_partner_only_scopes_cannot_be_requested_for_a_user(self, client: OAuthClient, scope: str) -> None:
        result = callback(await client.authorize(f"openid {scope}"))
        assert result["error"] == "invalid_scope"

    async def test_unknown_pkce_method(self, client: OAuthClient) -> None:
        result = callback(await client.authorize("openid", code_challenge="a" * 43, code_challenge_method="S512"))
        assert result["error"] == "invalid_request"

    async def test_repeated_parameter(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        response = await sim.get(client.authorize_url("openid") + "&scope=openid")
        assert callback(response)["error"] == "invalid_request"

    async def test_prompt_none_cannot_be_silent(self, client: OAuthClient) -> None:
        assert callback(await client.authorize("openid", prompt="none"))["error"] == "login_required"


class TestSignIn:
    async def test_login_hint_prefills_the_email(self, client: OAuthClient) -> None:
        response = await client.authorize("openid", login_hint=EMAIL)
        assert response.status_code == 200
        form = page(response).form("/oauth2/v3/authorize")
        identity = next(c for c in form.controls if c.name == "identity")
        assert identity.value == EMAIL

    async def test_unknown_email_is_said_and_the_user_can_try_again(self, client: OAuthClient) -> None:
        response = await client.sign_in(await client.authorize("openid"), "nobody@example.com")
        assert "location" not in response.headers
        assert "There is no Tesla account for nobody@example.com" in page(response).text
        consent = await client.sign_in(response, EMAIL)
        assert "Allow Test App" in page(consent).text

    async def test_a_sign_in_form_works_once(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        form_page = await client.authorize("openid")
        data = page(form_page).form("/oauth2/v3/authorize").data(identity=EMAIL)
        assert (await sim.post("/oauth2/v3/authorize", data=data)).status_code == 200
        replay = await sim.post("/oauth2/v3/authorize", data=data)
        assert replay.status_code == 400
        assert "expired" in page(replay).text

    async def test_a_forged_transaction_leads_nowhere(self, sim: httpx.AsyncClient, client: OAuthClient) -> None:
        forged = {"transaction_id": "made-up", "decision": "allow", "scope": "vehicle_cmds"}
        response = await sim.post("/oauth2/v3/authorize/consent", data=forged)
        assert response.status_code == 400
        assert "location" not in response.headers


class TestConsentPage:
    async def test_lists_each_requested_scope_with_teslas_title(self, client: OAuthClient) -> None:
        response = await client.sign_in(await client.authorize("openid offline_access vehicle_location"), EMAIL)
        view = page(response)
        form = view.form("/oauth2/v3/authorize/consent")
        assert "Test App" in view.text
        assert form.boxes() == {"offline_access": False, "vehicle_location": False}  # openid has no box
        assert "Sign in with Tesla" in view.text
        assert "Refresh Tokens" in view.labels["scope-offline_access"]
        assert "Vehicle Location" in view.labels["scope-vehicle_location"]
        ids = {c.attrs.get("id") for c in form.controls if c.attrs.get("type") == "checkbox"}
        assert ids == {"scope-offline_access", "scope-vehicle_location"}  # each label is tied to its input
        tags = [tag for tag, _ in view.tags]
        assert "fieldset" in tags
        assert "legend" in tags
        assert ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}) in view.tags
        assert "virtual key" not in view.text

    async def test_keypair_step_notice(self, client: OAuthClient) -> None:
        response = await client.authorize("openid vehicle_cmds", show_keypair_step="true")
        assert "virtual key" in page(await client.sign_in(response, EMAIL)).text

    async def test_allow_grants_the_ticked_boxes_and_sign_in(self, client: OAuthClient) -> None:
        code = await client.code_by_pages(EMAIL, "openid offline_access vehicle_cmds", ticks={"offline_access"})
        assert scp(await client.tokens(code)) == {"openid", "offline_access"}

    async def test_select_all_works_without_javascript(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        response = await client.sign_in(await client.authorize("openid offline_access vehicle_cmds"), EMAIL)
        view = page(response)
        select_all = next(c for f in view.forms for c in f.controls if c.text.strip() == "Select all")
        own_form = next(f for f in view.forms if f.attrs.get("id") == select_all.attrs["form"])
        result = callback(await sim.post(own_form.action, data=own_form.data(button=select_all)))
        assert scp(await client.tokens(result["code"])) == {"openid", "offline_access", "vehicle_cmds"}
        assert "box.checked = true" in response.text  # and with JavaScript it only ticks the boxes

    async def test_deny_sends_access_denied(self, client: OAuthClient) -> None:
        response = await client.sign_in(await client.authorize("openid vehicle_cmds"), EMAIL)
        result = callback(await client.decide(response, "Deny"))
        assert result["error"] == "access_denied"
        assert result["error_description"]
        assert result["state"] == "st4te"
        assert "code" not in result

    async def test_require_requested_scopes_reshows_the_page(self, client: OAuthClient) -> None:
        scope = "openid offline_access vehicle_cmds"
        response = await client.sign_in(await client.authorize(scope, require_requested_scopes="true"), EMAIL)
        again = await client.decide(response, ticks={"offline_access"})
        assert again.status_code == 400
        assert "location" not in again.headers
        view = page(again)
        assert "needs every permission" in view.text
        assert view.form("/oauth2/v3/authorize/consent").boxes() == {"offline_access": True, "vehicle_cmds": False}
        result = callback(await client.decide(again, ticks={"offline_access", "vehicle_cmds"}))
        assert scp(await client.tokens(result["code"])) == {"openid", "offline_access", "vehicle_cmds"}

    async def test_a_consent_form_cannot_be_replayed(self, client: OAuthClient, sim: httpx.AsyncClient) -> None:
        response = await client.sign_in(await client.authorize("openid vehicle_cmds"), EMAIL)
        form = page(response).form("/oauth2/v3/authorize/consent")
        data = form.data(button=form.button("Allow"), ticks={"vehicle_cmds"})
        assert (await sim.post(form.action, data=data)).status_code == 302
        replay = await sim.post(form.action, data=data)
        assert replay.status_code == 400
        assert "location" not in replay.headers


class TestScriptedConsent:
    async def test_approves_at_once_with_exactly_the_given_boxes(self, client: OAuthClient) -> None:
        code = await client.code_scripted(EMAIL, "openid offline_access vehicle_cmds energy_cmds", "vehicle_cmds")
        assert scp(await client.tokens(code)) == {"openid", "vehicle_cmds"}

    async def test_boxes_that_were_not_requested_cannot_be_ticked(self, client: OAuthClient) -> None:
        code = await client.code_scripted(EMAIL, "openid vehicle_cmds", "vehicle_cmds energy_cmds")
        assert scp(await client.tokens(code)) == {"openid", "vehicle_cmds"}

    async def test_unknown_login_hint_shows_sign_in(self, client: OAuthClient) -> None:
        response = await client.authorize("openid", login_hint="ghost@example.com", sim_grant="")
        assert "location" not in response.headers
        assert "There is no Tesla account for ghost@example.com" in page(response).text

    async def test_without_sim_grant_the_pages_are_shown(self, client: OAuthClient) -> None:
        response = await client.authorize("openid", login_hint=EMAIL)
        assert response.status_code == 200

    async def test_require_requested_scopes_applies_to_scripted_boxes(self, client: OAuthClient) -> None:
        response = await client.authorize(
            "openid vehicle_cmds energy_cmds",
            login_hint=EMAIL,
            sim_grant="vehicle_cmds",
            require_requested_scopes="true",
        )
        assert response.status_code == 400
        assert "needs every permission" in page(response).text


class TestEarlierConsent:
    async def test_is_reused_without_asking_even_when_more_is_requested(self, client: OAuthClient) -> None:
        await client.code_scripted(EMAIL, "openid offline_access vehicle_device_data")
        signed_in = await client.sign_in(
            await client.authorize("openid offline_access vehicle_device_data vehicle_cmds"), EMAIL
        )
        result = callback(signed_in)
        assert scp(await client.tokens(result["code"])) == {"openid", "offline_access", "vehicle_device_data"}

    async def test_scripted_boxes_do_not_override_it(self, client: OAuthClient) -> None:
        await client.code_scripted(EMAIL, "openid vehicle_device_data")
        code = await client.code_scripted(EMAIL, "openid vehicle_device_data vehicle_cmds")
        assert scp(await client.tokens(code)) == {"openid", "vehicle_device_data"}

    async def test_prompt_missing_scopes_shows_the_page_with_granted_boxes_ticked(self, client: OAuthClient) -> None:
        await client.code_scripted(EMAIL, "openid vehicle_device_data")
        response = await client.authorize("openid vehicle_device_data vehicle_cmds", prompt_missing_scopes="true")
        consent = await client.sign_in(response, EMAIL)
        form = page(consent).form("/oauth2/v3/authorize/consent")
        assert form.boxes() == {"vehicle_device_data": True, "vehicle_cmds": False}
        result = callback(await client.decide(consent, ticks={"vehicle_cmds"}))
        assert scp(await client.tokens(result["code"])) == {"openid", "vehicle_cmds"}  # what was submitted

    async def test_oidc_prompt_consent_asks_again(self, client: OAuthClient) -> None:
        await client.code_scripted(EMAIL, "openid vehicle_device_data")
        response = await client.authorize("openid vehicle_device_data", prompt="login consent")
        assert "Allow Test App" in page(await client.sign_in(response, EMAIL)).text

    async def test_require_requested_scopes_asks_for_what_is_missing(self, client: OAuthClient) -> None:
        await client.code_scripted(EMAIL, "openid vehicle_device_data")
        response = await client.authorize("openid vehicle_device_data vehicle_cmds", require_requested_scopes="true")
        assert "Allow Test App" in page(await client.sign_in(response, EMAIL)).text


class TestCallback:
    async def test_carries_code_state_issuer_and_locale(self, client: OAuthClient) -> None:
        result = callback(await client.authorize("openid", login_hint=EMAIL, sim_grant=""))
        assert result["code"].startswith("NA_")
        assert result["state"] == "st4te"
        assert result["issuer"] == "http://sim.test/oauth2/v3"
        assert result["locale"] == "en-US"

    async def test_code_prefix_follows_the_account_region(self, factory: SimFactory, client: OAuthClient) -> None:
        await factory.account("eu@example.com", region="eu")
        assert (await client.code_scripted("eu@example.com", "openid")).startswith("EU_")

    async def test_keeps_the_redirect_uris_own_query(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        await factory.account(EMAIL)
        with_query = f"{REDIRECT_URI}?tenant=7"
        client = OAuthClient(sim, await factory.app(redirect_uris=[with_query]), redirect_uri=with_query)
        response = await client.authorize("openid", login_hint=EMAIL, sim_grant="")
        result = callback(response)
        assert result["tenant"] == "7"
        assert result["code"]
        assert (await client.exchange(result["code"])).status_code == 200
