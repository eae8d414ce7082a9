"""How a workspace presents its application on the hosted pages: `GET`/`PATCH /v1/workspace` with their checks,
and the name, logo and accent colour on the pages (the colour as a stylesheet of its own, allowed by the pages'
Content-Security-Policy like an https logo's origin)."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from tests.gateway.test_connect_flow import EndUser
from tests.simulator.auth_helpers import page

PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()


@pytest.fixture
def user(api: httpx.AsyncClient, gateway: httpx.AsyncClient, sim: httpx.AsyncClient) -> EndUser:
    return EndUser(api, gateway, sim)


async def patch(api: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await api.patch("/v1/workspace", json=body)


class TestWorkspaceApi:
    async def test_a_new_workspace_has_its_name_and_no_branding(self, api: httpx.AsyncClient) -> None:
        response = await api.get("/v1/workspace")
        assert response.status_code == 200
        workspace = response.json()
        assert workspace["name"] == "Acme Energy"
        assert workspace["id"].startswith("ws_")
        assert (workspace["display_name"], workspace["logo_url"], workspace["accent_color"]) == (None, None, None)

    async def test_sets_and_clears_only_the_fields_sent(self, api: httpx.AsyncClient) -> None:
        response = await patch(
            api, display_name="  Acme Charging ", logo_url="https://cdn.example.com/logo.svg", accent_color="#0F766E"
        )
        assert response.status_code == 200, response.text
        assert response.json() | {"id": "", "created_at": ""} == {
            "id": "",
            "created_at": "",
            "name": "Acme Energy",
            "display_name": "Acme Charging",
            "logo_url": "https://cdn.example.com/logo.svg",
            "accent_color": "#0f766e",
        }
        cleared = (await patch(api, logo_url=None)).json()
        assert (cleared["display_name"], cleared["logo_url"], cleared["accent_color"]) == (
            "Acme Charging",
            None,
            "#0f766e",
        )
        assert (await api.get("/v1/workspace")).json() == cleared

    async def test_a_small_data_logo_is_accepted(self, api: httpx.AsyncClient) -> None:
        response = await patch(api, logo_url=PNG)
        assert response.status_code == 200, response.text
        assert response.json()["logo_url"] == PNG

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"accent_color": "teal"}, "accent_color"),
            ({"accent_color": "#0f766"}, "accent_color"),
            ({"logo_url": "http://cdn.example.com/logo.png"}, "logo_url"),
            ({"logo_url": "javascript:alert(1)"}, "logo_url"),
            ({"logo_url": "https://user:pw@cdn.example.com/logo.png"}, "logo_url"),
            ({"logo_url": "data:text/html;base64,PHNjcmlwdD4="}, "logo_url"),
            ({"logo_url": "data:image/png,not-base64"}, "logo_url"),
            ({"logo_url": "data:image/png;base64,@@@"}, "logo_url"),
            ({"display_name": "   "}, "display_name"),
            ({"display_name": "Acme\nCharging"}, "display_name"),
        ],
    )
    async def test_what_is_not_valid_is_refused_and_named(
        self, api: httpx.AsyncClient, body: dict[str, str], field: str
    ) -> None:
        response = await patch(api, **body)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert error["field"] == field
        assert error["remedy"]["example"]
        after = (await api.get("/v1/workspace")).json()
        assert (after["display_name"], after["logo_url"], after["accent_color"]) == (None, None, None)

    async def test_nothing_is_set_when_one_field_is_refused(self, api: httpx.AsyncClient) -> None:
        response = await patch(api, display_name="Acme Charging", accent_color="blue")
        assert response.status_code == 422
        assert (await api.get("/v1/workspace")).json()["display_name"] is None

    async def test_unknown_fields_are_refused(self, api: httpx.AsyncClient) -> None:
        response = await patch(api, name="Renamed")
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == "name"

    async def test_it_needs_an_api_key(self, gateway: httpx.AsyncClient) -> None:
        assert (await gateway.get("/v1/workspace")).status_code == 401
        assert (await gateway.patch("/v1/workspace", json={})).status_code == 401


class TestOnTheHostedPages:
    async def test_the_name_logo_and_accent_are_shown(self, user: EndUser) -> None:
        await patch(
            user.api, display_name="Acme Charging", logo_url="https://cdn.example.com/logo.svg", accent_color="#0f766e"
        )
        created = await user.create(["vehicle_data"])
        response = await user.gateway.get(f"/connect/{created['id']}")
        shown = page(response)
        assert "Connect your Tesla account to Acme Charging" in shown.text
        assert "Acme Energy" not in shown.text
        assert '<img class="brand-logo" src="https://cdn.example.com/logo.svg" alt=""' in response.text
        assert '<link rel="stylesheet" href="/connect/accent/0f766e.css">' in response.text
        csp = response.headers["content-security-policy"]
        assert "img-src 'self' data: https://cdn.example.com;" in csp
        assert "style-src 'self';" in csp
        assert "style=" not in response.text  # no inline style: the policy would block it

    async def test_without_a_logo_a_monogram_and_the_default_colours(self, user: EndUser) -> None:
        created = await user.create(["vehicle_data"])
        response = await user.gateway.get(f"/connect/{created['id']}")
        assert '<span class="brand-mark" aria-hidden="true">AE</span>' in response.text
        assert "/connect/accent/" not in response.text
        assert "img-src 'self' data:;" in response.headers["content-security-policy"]

    async def test_every_page_has_the_favicon(self, user: EndUser, gateway: httpx.AsyncClient) -> None:
        created = await user.create(["vehicle_data"])
        for path in (f"/connect/{created['id']}", f"/connect/{created['id']}/result", "/connect/cs_nope"):
            assert '<link rel="icon" href="/static/favicon.svg"' in (await gateway.get(path)).text
        icon = await gateway.get("/static/favicon.svg")
        assert icon.status_code == 200
        assert icon.headers["content-type"].startswith("image/svg+xml")


class TestAccentStylesheet:
    @pytest.mark.parametrize(
        ("accent", "on_accent", "ink"),
        [
            ("0f766e", "#ffffff", "#0f766e"),  # dark enough: white text on it, and itself as text on white
            ("ffd500", "#16181d", "#8c7500"),  # pale: dark text on it, darkened as text on white
        ],
    )
    async def test_text_on_the_accent_and_the_accent_as_text_stay_readable(
        self, gateway: httpx.AsyncClient, accent: str, on_accent: str, ink: str
    ) -> None:
        response = await gateway.get(f"/connect/accent/{accent}.css")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/css")
        assert "immutable" in response.headers["cache-control"]
        assert f"--accent: #{accent};" in response.text
        assert f"--on-accent: {on_accent};" in response.text
        assert f"--accent-ink: {ink};" in response.text

    @pytest.mark.parametrize("name", ["0F766E.css", "0f766e", "red.css", "0f766e0.css"])
    async def test_anything_else_is_not_found(self, gateway: httpx.AsyncClient, name: str) -> None:
        assert (await gateway.get(f"/connect/accent/{name}")).status_code == 404
