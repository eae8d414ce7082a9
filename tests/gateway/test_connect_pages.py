"""The hosted pages before and around Tesla: what the user is told, the step to Tesla, and callbacks that must not
link anything (forged or reused state, denial, Tesla's errors, a code Tesla refuses)."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from fleetgate.features.access.scopes import ACCESS_BY_NAME
from fleetgate.infra.models import Connection, ConnectSession
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla.oauth import pkce_challenge
from tests.gateway.conftest import make_tenant
from tests.gateway.test_connect_flow import CALLBACK, EMAIL, EndUser, query_of, row, rows
from tests.simulator.auth_helpers import page
from tests.simulator.factories import SimFactory

COMMANDS = ["vehicle_data", "vehicle_commands"]


@pytest.fixture
def user(api: httpx.AsyncClient, gateway: httpx.AsyncClient, sim: httpx.AsyncClient) -> EndUser:
    return EndUser(api, gateway, sim)


@pytest.fixture
async def tesla_account(factory: SimFactory) -> dict[str, Any]:
    account = await factory.account(EMAIL)
    await factory.vehicle(account["id"])
    return account


def assert_page_basics(response: httpx.Response) -> None:
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    html = response.text
    assert '<html lang="en">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<main" in html
    assert "<script" not in html


class TestIntroPage:
    async def test_says_who_asks_what_and_why(self, user: EndUser) -> None:
        created = await user.create(["vehicle_data", "vehicle_location", "energy_data"])
        response = await user.gateway.get(f"/connect/{created['id']}")
        assert response.status_code == 200
        assert_page_basics(response)
        shown = page(response)
        assert "Connect your Tesla account to Acme Energy" in shown.text
        for name in ("vehicle_data", "vehicle_location", "energy_data"):
            assert ACCESS_BY_NAME[name].title in shown.text
            assert ACCESS_BY_NAME[name].why in shown.text
        assert ACCESS_BY_NAME["vehicle_commands"].title not in shown.text
        assert "checkbox" in shown.text
        assert "virtual key" not in shown.text
        assert f"/connect/{created['id']}/start" in shown.links
        assert "Continue to Tesla" in shown.text

    async def test_announces_the_virtual_key_step_when_commands_are_asked(self, user: EndUser) -> None:
        created = await user.create(COMMANDS)
        shown = page(await user.gateway.get(f"/connect/{created['id']}"))
        assert "virtual key" in shown.text

    async def test_require_all_is_explained(self, user: EndUser) -> None:
        created = await user.create(["vehicle_data"], require_all=True)
        shown = page(await user.gateway.get(f"/connect/{created['id']}"))
        assert "every box ticked" in shown.text

    async def test_escapes_what_the_app_and_its_users_control(self, gateway_app: FastAPI) -> None:
        async for tenant in make_tenant(gateway_app, '<script>alert("x")</script> & Co'):
            created = (
                await tenant.client.post(
                    "/v1/connect-sessions", json={"reference_id": "<b>u</b>", "access": ["vehicle_data"]}
                )
            ).json()
            response = await tenant.client.get(f"/connect/{created['id']}")
            assert "<script>" not in response.text
            assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in response.text

    async def test_unknown_session_is_a_404_page(self, gateway: httpx.AsyncClient) -> None:
        for path in ("/connect/cs_nope", "/connect/cs_nope/start", "/connect/cs_nope/result", "/connect/" + "x" * 300):
            response = await gateway.get(path)
            assert response.status_code == 404, path
            assert "This link is not valid" in page(response).text

    async def test_static_stylesheet_is_served(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/static/gateway.css")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/css")


class TestStart:
    async def test_redirects_to_tesla_with_a_fresh_state_pkce_and_the_access_scopes(
        self, user: EndUser, gateway_runtime: Runtime
    ) -> None:
        created = await user.create(["vehicle_data", "vehicle_location"])
        authorize = query_of(await user.start(created["id"]))
        settings = gateway_runtime.settings
        assert authorize["client_id"] == settings.client_id
        assert authorize["redirect_uri"] == CALLBACK == settings.callback_url
        assert authorize["response_type"] == "code"
        assert authorize["scope"].split() == ["openid", "offline_access", "vehicle_device_data", "vehicle_location"]
        assert authorize["code_challenge_method"] == "S256"
        assert authorize["nonce"]
        for flag in ("prompt_missing_scopes", "require_requested_scopes", "show_keypair_step"):
            assert flag not in authorize

        stored = await row(gateway_runtime, ConnectSession, created["id"])
        assert stored.oauth_state_hash == hashlib.sha256(authorize["state"].encode()).hexdigest()
        assert authorize["state"] not in (stored.code_verifier_enc or "")
        verifier = gateway_runtime.encryptor.decrypt(
            stored.code_verifier_enc, context=f"connect_session:{created['id']}:code_verifier"
        )
        assert pkce_challenge(verifier) == authorize["code_challenge"]
        assert stored.started_at is not None

    async def test_require_all_and_commands_set_teslas_flags(self, user: EndUser) -> None:
        created = await user.create(COMMANDS, require_all=True)
        authorize = query_of(await user.start(created["id"]))
        assert authorize["require_requested_scopes"] == "true"
        assert authorize["show_keypair_step"] == "true"
        assert "vehicle_cmds" in authorize["scope"].split()

    async def test_charging_commands_also_announce_the_key_step(self, user: EndUser) -> None:
        created = await user.create(["vehicle_charging_commands"])
        assert query_of(await user.start(created["id"]))["show_keypair_step"] == "true"

    async def test_starting_again_replaces_the_earlier_state(
        self, user: EndUser, tesla_account: dict[str, Any]
    ) -> None:
        created = await user.create(["vehicle_data"])
        first = await user.start(created["id"])
        second = await user.start(created["id"])
        assert query_of(first)["state"] != query_of(second)["state"]
        stale = await user.back_from_tesla(await user.consent(first, "openid offline_access vehicle_device_data"))
        assert stale.status_code == 400
        assert (await user.session(created["id"]))["status"] == "pending"


class TestForgedState:
    @pytest.mark.parametrize(
        "query",
        [
            "code=NA_abc&state=not-a-state-we-gave-out",
            "code=NA_abc",
            "error=access_denied&state=forged",
            "code=NA_abc&state=" + "s" * 1000,
            "",
        ],
    )
    async def test_is_a_400_page_and_changes_nothing(self, user: EndUser, gateway_runtime: Runtime, query: str) -> None:
        created = await user.create(["vehicle_data"])
        await user.start(created["id"])
        before = await row(gateway_runtime, ConnectSession, created["id"])
        response = await user.gateway.get(f"/connect/callback?{query}")
        assert response.status_code == 400
        assert_page_basics(response)
        assert "could not be finished" in page(response).text
        after = await row(gateway_runtime, ConnectSession, created["id"])
        assert (after.status, after.oauth_state_hash, after.code_verifier_enc) == (
            "pending",
            before.oauth_state_hash,
            before.code_verifier_enc,
        )

    async def test_a_repeated_state_parameter_is_refused(self, user: EndUser, gateway_runtime: Runtime) -> None:
        created = await user.create(["vehicle_data"])
        oauth_state = query_of(await user.start(created["id"]))["state"]
        response = await user.gateway.get(f"/connect/callback?code=x&state={oauth_state}&state=other")
        assert response.status_code == 400
        assert (await row(gateway_runtime, ConnectSession, created["id"])).oauth_state_hash is not None


class TestDenied:
    async def test_access_denied_fails_the_session_and_tells_the_app(
        self, user: EndUser, tesla_account: dict[str, Any], gateway_runtime: Runtime
    ) -> None:
        created = await user.create(["vehicle_data"], redirect_url="https://app.example.com/done")
        callback = await user.deny(await user.start(created["id"]))
        assert query_of(callback)["error"] == "access_denied"
        back = await user.back_from_tesla(callback)
        assert back.status_code == 302
        assert back.headers["location"].startswith("https://app.example.com/done?")
        assert query_of(back.headers["location"]) == {
            "connect_session_id": created["id"],
            "status": "failed",
            "error": "access_denied",
        }
        session = await user.session(created["id"])
        assert session["status"] == "failed"
        assert session["connection_id"] is None
        assert session["error"]["code"] == "access_denied"
        assert session["error"]["message"]
        assert await rows(gateway_runtime, Connection, Connection.customer_id == created["customer_id"]) == []
        stored = await row(gateway_runtime, ConnectSession, created["id"])
        assert (stored.oauth_state_hash, stored.code_verifier_enc) == (None, None)

    async def test_without_redirect_url_the_result_page_says_so(
        self, user: EndUser, tesla_account: dict[str, Any]
    ) -> None:
        created = await user.create(["vehicle_data"])
        back = await user.back_from_tesla(await user.deny(await user.start(created["id"])))
        assert back.status_code == 303
        assert back.headers["location"] == f"/connect/{created['id']}/result"
        result = await user.result_page(created["id"])
        assert "You didn't allow access" in result.text
        assert "You declined" in result.text
        assert "owner" not in result.text  # the person reading is the owner: spoken to, not of
        # The session is over: its page and its start step lead to the result, not to Tesla again.
        for path in (f"/connect/{created['id']}", f"/connect/{created['id']}/start"):
            response = await user.gateway.get(path)
            assert response.status_code == 303
            assert response.headers["location"] == f"/connect/{created['id']}/result"

    async def test_the_denial_cannot_be_replayed(self, user: EndUser, tesla_account: dict[str, Any]) -> None:
        created = await user.create(["vehicle_data"])
        callback = await user.deny(await user.start(created["id"]))
        assert (await user.back_from_tesla(callback)).status_code == 303
        assert (await user.back_from_tesla(callback)).status_code == 400


class TestTeslaFailures:
    async def test_another_tesla_error_is_kept_as_its_code(self, user: EndUser) -> None:
        created = await user.create(["vehicle_data"], redirect_url="https://app.example.com/done")
        oauth_state = query_of(await user.start(created["id"]))["state"]
        back = await user.gateway.get(
            "/connect/callback",
            params={"error": "server_error", "error_description": "Try again <later>", "state": oauth_state},
        )
        assert query_of(back.headers["location"])["error"] == "server_error"
        session = await user.session(created["id"])
        assert session["error"] == {"code": "server_error", "message": "Try again <later>"}
        result = await user.gateway.get(f"/connect/{created['id']}/result")
        assert "Try again &lt;later&gt;" in result.text

    async def test_a_code_tesla_refuses_fails_without_a_connection(
        self, user: EndUser, gateway_runtime: Runtime
    ) -> None:
        created = await user.create(["vehicle_data"])
        oauth_state = query_of(await user.start(created["id"]))["state"]
        back = await user.gateway.get("/connect/callback", params={"code": "NA_made_up", "state": oauth_state})
        assert back.status_code == 303
        session = await user.session(created["id"])
        assert session["status"] == "failed"
        assert session["error"]["code"] == "tesla_exchange_failed"
        assert session["connection_id"] is None
        assert await rows(gateway_runtime, Connection, Connection.customer_id == created["customer_id"]) == []

    async def test_a_callback_without_code_or_error(self, user: EndUser) -> None:
        created = await user.create(["vehicle_data"])
        oauth_state = query_of(await user.start(created["id"]))["state"]
        await user.gateway.get("/connect/callback", params={"state": oauth_state})
        assert (await user.session(created["id"]))["error"]["code"] == "invalid_callback"


class TestResultPage:
    async def test_a_pending_session_is_not_finished(self, user: EndUser) -> None:
        created = await user.create(["vehicle_data"])
        result = await user.result_page(created["id"])
        assert "Not finished yet" in result.text
        assert f"/connect/{created['id']}" in result.links
