"""What the browser tests stand on: a third-party app's own site, the seeded simulator, and a person's gestures.

The app's site is a tiny ASGI app on its own port. Tesla's pages send the browser there (the OAuth callback, the
manage-access page's back link); it records each query it receives, as a real app's callback would read it, and
each webhook the gateway posts to it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from playwright.async_api import Browser, Locator, Page, expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from tests.simulator.factories import SimFactory
from tests.support.live import LiveServer, serve_in_thread

APP_NAME = "Acme Charging"
DOMAIN = "acme.example.com"
EMAIL = "owner@example.com"
VEHICLE_NAME = "Blue Thunder"
# What a phone and a laptop show; the phone's matches the `phone` fixture of the conftest.
SCREENS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


@dataclass
class AppSite:
    """The third-party app's web site: where Tesla sends the user back."""

    server: LiveServer | None = None
    received: list[dict[str, str]] = field(default_factory=list)
    webhooks: list[bytes] = field(default_factory=list)

    @property
    def url(self) -> str:
        assert self.server is not None, "the app's site is not running"
        return self.server.url

    @property
    def callback_url(self) -> str:
        return f"{self.url}/callback"

    @property
    def settings_url(self) -> str:
        return f"{self.url}/settings"

    @property
    def webhook_url(self) -> str:
        return f"{self.url}/webhooks"

    def asgi(self) -> Starlette:
        async def callback(request: Request) -> HTMLResponse:
            self.received.append(dict(request.query_params))
            return HTMLResponse("<!doctype html><title>Back at the app</title><h1>Back at the app</h1>")

        async def settings(request: Request) -> HTMLResponse:
            return HTMLResponse("<!doctype html><title>Settings</title><h1>The app's settings</h1>")

        async def webhook(request: Request) -> Response:
            self.webhooks.append(await request.body())
            return Response(status_code=204)

        return Starlette(
            routes=[
                Route("/callback", callback),
                Route("/settings", settings),
                Route("/webhooks", webhook, methods=["POST"]),
            ]
        )

    @property
    def last(self) -> dict[str, str]:
        assert self.received, "the app's callback was never called"
        return self.received[-1]


@contextmanager
def running_app_site() -> Iterator[AppSite]:
    site = AppSite()
    with serve_in_thread(site.asgi()) as server:
        site.server = server
        yield site


@dataclass(frozen=True)
class Names:
    """What the pages print: the app's name and domain, the owner's email."""

    app: str = APP_NAME
    domain: str = DOMAIN
    email: str = EMAIL


@dataclass
class Seeded:
    """The simulator on its port, seeded with one app (registered with a key for its domain), its owner and a car."""

    sim_url: str
    client: httpx.AsyncClient
    site: AppSite
    names: Names
    app: dict[str, Any]
    account: dict[str, Any]
    vehicle: dict[str, Any]

    @property
    def client_id(self) -> str:
        return str(self.app["client_id"])

    @property
    def vin(self) -> str:
        return str(self.vehicle["vin"])

    def authorize_url(self, scope: str, state: str = "st4te", **extra: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.site.callback_url,
            "scope": scope,
            "state": state,
            **extra,
        }
        return f"{self.sim_url}/oauth2/v3/authorize?{urlencode(query)}"

    def manage_url(self) -> str:
        query = {"revoke_client_id": self.client_id, "back_url": self.site.settings_url}
        return f"{self.sim_url}/user/revoke/consent?{urlencode(query)}"

    def pairing_url(self) -> str:
        return f"{self.sim_url}/_ak/{self.names.domain}?{urlencode({'vin': self.vin})}"

    async def exchange(self, code: str) -> dict[str, Any]:
        body = {
            "grant_type": "authorization_code",
            "client_id": self.client_id,
            "client_secret": self.app["client_secret"],
            "code": code,
            "redirect_uri": self.site.callback_url,
            "audience": f"{self.sim_url}/na",
        }
        response = await self.client.post("/oauth2/v3/token", data=body)
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens

    async def consent(self, scopes: str) -> dict[str, Any]:
        """Tokens as if the owner had already consented to `scopes` (the control API's shortcut)."""
        return await SimFactory(self.client).tokens(self.client_id, self.account["id"], scopes)

    async def list_vehicles(self, access_token: str) -> httpx.Response:
        return await self.client.get("/na/api/1/vehicles", headers={"Authorization": f"Bearer {access_token}"})

    async def keys_on_vehicle(self) -> list[dict[str, Any]]:
        response = await self.client.get(f"/sim/vehicles/{self.vin}")
        assert response.status_code == 200, response.text
        keys: list[dict[str, Any]] = response.json()["keys"]
        return keys


@asynccontextmanager
async def seeded_simulator(sim: LiveServer, names: Names | None = None) -> AsyncIterator[Seeded]:
    names = names or Names()
    with running_app_site() as site:
        async with httpx.AsyncClient(base_url=sim.url) as client:
            factory = SimFactory(client)
            app = await factory.app(
                name=names.app, domain=names.domain, redirect_uris=[site.callback_url], allowed_origins=[site.url]
            )
            account = await factory.account(names.email)
            vehicle = await factory.vehicle(account["id"], display_name=VEHICLE_NAME)
            yield Seeded(sim.url, client, site, names, app, account, vehicle)


def scopes_of(tokens: dict[str, Any]) -> set[str]:
    return set(jwt.decode(tokens["access_token"], options={"verify_signature": False})["scp"])


@asynccontextmanager
async def page_on(browser: Browser, screen: str, *, javascript: bool = True) -> AsyncIterator[Page]:
    context = await browser.new_context(**SCREENS[screen], java_script_enabled=javascript)
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def sign_in(page: Page, email: str = EMAIL) -> None:
    await expect(page.get_by_role("heading", name="Sign In")).to_be_visible()
    await page.get_by_role("textbox", name="Email").fill(email)
    await page.get_by_role("button", name="Next").click()


def callback_reached(site: AppSite) -> Callable[[str], bool]:
    """For `page.wait_for_url`: the browser is back on the app's callback, whatever the query."""
    return lambda url: url.startswith(f"{site.callback_url}?")


async def horizontal_overflow(page: Page, width: int = 320) -> int:
    """How many CSS pixels the page is wider than a `width`-pixel screen (0 when nothing scrolls sideways)."""
    size = page.viewport_size
    await page.set_viewport_size({"width": width, "height": size["height"] if size else 640})
    scroll_width = await page.evaluate("document.documentElement.scrollWidth")
    if size:
        await page.set_viewport_size(size)
    return max(0, int(scroll_width) - width)


def checkbox(page: Page, title: str) -> Locator:
    """A scope's box by its accessible name, which is the scope's title alone (the description describes it)."""
    return page.get_by_role("checkbox", name=title, exact=True)
