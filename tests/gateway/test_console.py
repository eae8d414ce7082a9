"""The developer console over HTTP: the login derived from an API key, CSRF, revocation, and tenant isolation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from fleetgate.app import create_app
from fleetgate.config import Settings
from fleetgate.features.console.login_token import issue_login
from fleetgate.features.console.logins import start_login
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import GATEWAY_BASE, Tenant
from tests.gateway.console_pages import COOKIE, LOGIN, api_key_id, csrf_token, log_in, logged_in, open_page, revoke


@pytest.fixture
async def browser(gateway_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A second cookie jar: another person's browser."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gateway_app), base_url=GATEWAY_BASE) as client:
        yield client


def set_cookie_header(response: httpx.Response) -> str:
    return next(value for value in response.headers.get_list("set-cookie") if value.startswith(f"{COOKIE}="))


class TestLoggedOut:
    @pytest.mark.parametrize("path", ["/console", "/console/connections", "/console/devices/dev_x?x=1"])
    async def test_pages_redirect_to_the_login_page(self, gateway: httpx.AsyncClient, path: str) -> None:
        response = await gateway.get(path)
        assert response.status_code == 303
        target = httpx.URL(response.headers["location"])
        assert target.path == LOGIN
        assert target.params["next"] == path

    async def test_a_form_post_redirects_too_and_changes_nothing(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.post("/console/logout", data={"csrf_token": "x"})
        assert response.status_code == 303
        assert response.headers["location"] == LOGIN

    async def test_the_login_form_is_labelled_and_not_cached(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get(LOGIN)
        assert response.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        shown = await open_page(gateway, LOGIN)
        assert shown.labels["api-key"] == "API key"


class TestLogIn:
    async def test_the_key_opens_the_console_of_its_workspace(self, gateway: httpx.AsyncClient, tenant: Tenant) -> None:
        response = await log_in(gateway, tenant.api_key)
        assert response.status_code == 303
        assert response.headers["location"] == "/console"
        cookie = set_cookie_header(response)
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie
        assert "Path=/console" in cookie
        assert "Max-Age=43200" in cookie
        assert "Secure" not in cookie  # served over http here
        value = gateway.cookies[COOKIE]
        assert tenant.api_key not in value
        # The secret is token_urlsafe: it may hold "_" itself, so it is everything after the id.
        assert tenant.api_key.split("_", 2)[2] not in value
        shown = await open_page(gateway, "/console")
        assert "Acme Energy" in shown.text

    async def test_it_returns_to_the_page_asked_for(self, gateway: httpx.AsyncClient, tenant: Tenant) -> None:
        first = await gateway.get("/console/devices?type=vehicle")
        next_path = httpx.URL(first.headers["location"]).params["next"]
        response = await log_in(gateway, tenant.api_key, next_path)
        assert response.headers["location"] == "/console/devices?type=vehicle"

    @pytest.mark.parametrize("next_path", ["https://evil.example/console", "//evil.example/console", "/v1/devices"])
    async def test_it_never_returns_elsewhere(self, gateway: httpx.AsyncClient, tenant: Tenant, next_path: str) -> None:
        response = await log_in(gateway, tenant.api_key, next_path)
        assert response.headers["location"] == "/console"

    @pytest.mark.parametrize("key", ["", "not a key", "fg_00000000_" + "x" * 43])
    async def test_an_unknown_key_is_refused(self, gateway: httpx.AsyncClient, tenant: Tenant, key: str) -> None:
        response = await log_in(gateway, key)
        assert response.status_code == 401
        assert "not valid" in response.text
        assert COOKIE not in gateway.cookies
        assert (await gateway.get("/console")).status_code == 303

    async def test_a_revoked_key_is_refused(
        self, gateway: httpx.AsyncClient, tenant: Tenant, gateway_runtime: Runtime
    ) -> None:
        await revoke(gateway_runtime, tenant.api_key)
        assert (await log_in(gateway, tenant.api_key)).status_code == 401

    async def test_a_login_form_from_elsewhere_is_refused(self, gateway: httpx.AsyncClient, tenant: Tenant) -> None:
        # No form cookie: the form was not opened in this browser (a cross-site post would not carry it either).
        response = await gateway.post(LOGIN, data={"api_key": tenant.api_key, "form_token": "guess", "next": ""})
        assert response.status_code == 403
        assert COOKIE not in gateway.cookies

    async def test_the_cookie_is_secure_when_served_over_https(
        self, gateway_settings: Settings, sim_app: FastAPI, tenant: Tenant
    ) -> None:
        settings = gateway_settings.model_copy(update={"public_url": "https://gateway.test"})
        app = create_app(settings, tesla_transport=httpx.ASGITransport(app=sim_app))
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://gateway.test") as client,
        ):
            cookie = set_cookie_header(await log_in(client, tenant.api_key))
        assert "Secure" in cookie


class TestStayingLoggedIn:
    async def test_a_revoked_key_logs_out_at_the_next_page(
        self, gateway: httpx.AsyncClient, tenant: Tenant, gateway_runtime: Runtime
    ) -> None:
        await logged_in(gateway, tenant.api_key)
        await open_page(gateway, "/console/connections")
        await revoke(gateway_runtime, tenant.api_key)
        response = await gateway.get("/console/connections")
        assert response.status_code == 303
        assert response.headers["location"] == f"{LOGIN}?reason=revoked"
        assert COOKIE not in gateway.cookies  # deleted by the response
        shown = await open_page(gateway, response.headers["location"])
        assert "was revoked" in shown.text

    async def test_an_expired_login_is_refused(
        self, gateway: httpx.AsyncClient, tenant: Tenant, gateway_runtime: Runtime
    ) -> None:
        key_id = await api_key_id(gateway_runtime, tenant.api_key)
        async with gateway_runtime.sessionmaker() as session, session.begin():
            login = await start_login(session, key_id, utcnow() - timedelta(hours=12, seconds=1))
        token = issue_login(gateway_runtime.encryptor, login.id, key_id, login.expires_at)
        gateway.cookies.set(COOKIE, token, domain="gateway.test", path="/console")
        response = await gateway.get("/console")
        assert response.status_code == 303
        assert "reason=expired" in response.headers["location"]

    async def test_a_forged_cookie_is_refused(self, gateway: httpx.AsyncClient) -> None:
        gateway.cookies.set(COOKIE, "v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", domain="gateway.test", path="/console")
        response = await gateway.get("/console")
        assert response.status_code == 303
        assert httpx.URL(response.headers["location"]).path == LOGIN


class TestLoggingOut:
    async def test_a_copied_cookie_dies_with_the_logout(
        self, gateway: httpx.AsyncClient, browser: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await logged_in(gateway, tenant.api_key)
        copied = gateway.cookies[COOKIE]
        browser.cookies.set(COOKIE, copied, domain="gateway.test", path="/console")
        await open_page(browser, "/console")  # the copy works while the login lasts

        token = csrf_token(await open_page(gateway, "/console"))
        assert (await gateway.post("/console/logout", data={"csrf_token": token})).status_code == 303

        response = await browser.get("/console/connections")
        assert response.status_code == 303
        assert httpx.URL(response.headers["location"]).path == LOGIN
        assert COOKIE not in browser.cookies  # deleted by the response
        # Replaying it again, whatever the browser did with it, changes nothing.
        browser.cookies.set(COOKIE, copied, domain="gateway.test", path="/console")
        assert (await browser.get("/console")).status_code == 303

    async def test_other_logins_of_the_same_key_stay(
        self, gateway: httpx.AsyncClient, browser: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await logged_in(gateway, tenant.api_key)
        await logged_in(browser, tenant.api_key)
        token = csrf_token(await open_page(gateway, "/console"))
        assert (await gateway.post("/console/logout", data={"csrf_token": token})).status_code == 303
        await open_page(browser, "/console")


class TestCsrf:
    async def test_logging_out_needs_the_pages_token(self, gateway: httpx.AsyncClient, tenant: Tenant) -> None:
        await logged_in(gateway, tenant.api_key)
        token = csrf_token(await open_page(gateway, "/console"))
        for forged in ({}, {"csrf_token": ""}, {"csrf_token": token[:-2] + "xx"}):
            refused = await gateway.post("/console/logout", data=forged)
            assert refused.status_code == 403
            assert "form has expired" in refused.text
        await open_page(gateway, "/console")  # still logged in
        response = await gateway.post("/console/logout", data={"csrf_token": token})
        assert response.status_code == 303
        assert COOKIE not in gateway.cookies
        assert (await gateway.get("/console")).status_code == 303

    async def test_a_token_of_another_login_is_refused(
        self, gateway: httpx.AsyncClient, browser: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await logged_in(gateway, tenant.api_key)
        await logged_in(browser, tenant.api_key)
        theirs = csrf_token(await open_page(browser, "/console"))
        assert (await gateway.post("/console/logout", data={"csrf_token": theirs})).status_code == 403
