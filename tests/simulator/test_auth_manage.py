"""`/user/revoke/consent`: a user narrows or revokes an app's access; the Fleet API and refreshes follow."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
import pytest

from tests.simulator.auth_helpers import OAuthClient, page
from tests.simulator.factories import SimFactory

MANAGE = "/user/revoke/consent"


@pytest.fixture
async def setup(factory: SimFactory) -> dict[str, Any]:
    return await factory.setup(scopes="openid offline_access vehicle_device_data vehicle_cmds")


def manage_url(client_id: str, back_url: str | None = None, **extra: str) -> str:
    params = {"revoke_client_id": client_id, **({"back_url": back_url} if back_url else {}), **extra}
    return f"{MANAGE}?{urlencode(params)}"


async def signed_in(sim: httpx.AsyncClient, setup: dict[str, Any], back_url: str | None = None) -> httpx.Response:
    client = OAuthClient(sim, setup["app"])
    response = await sim.get(manage_url(setup["app"]["client_id"], back_url))
    assert response.status_code == 200
    return await client.submit(response, MANAGE, identity=setup["account"]["email"])


async def refresh(sim: httpx.AsyncClient, setup: dict[str, Any]) -> httpx.Response:
    client = OAuthClient(sim, setup["app"])
    return await client.refresh(setup["tokens"]["refresh_token"])


class TestManagePage:
    async def test_unknown_client_is_an_error_page(self, sim: httpx.AsyncClient) -> None:
        response = await sim.get(manage_url("nobody"))
        assert response.status_code == 404
        assert "Unknown application" in page(response).text

    async def test_login_hint_prefills_the_email(self, sim: httpx.AsyncClient, setup: dict[str, Any]) -> None:
        response = await sim.get(manage_url(setup["app"]["client_id"], login_hint="owner@example.com"))
        identity = next(c for c in page(response).form(MANAGE).controls if c.name == "identity")
        assert identity.value == "owner@example.com"

    async def test_shows_the_current_consent_ticked(self, sim: httpx.AsyncClient, setup: dict[str, Any]) -> None:
        view = page(await signed_in(sim, setup))
        boxes = view.form(f"{MANAGE}/update").boxes()
        assert boxes == {"offline_access": True, "vehicle_device_data": True, "vehicle_cmds": True}
        assert "Vehicle Commands" in view.labels["scope-vehicle_cmds"]

    async def test_unknown_email_is_said(self, sim: httpx.AsyncClient, setup: dict[str, Any]) -> None:
        response = await sim.get(manage_url(setup["app"]["client_id"]))
        client = OAuthClient(sim, setup["app"])
        again = await client.submit(response, MANAGE, identity="ghost@example.com")
        assert "There is no Tesla account for ghost@example.com" in page(again).text


class TestRemovingAScope:
    async def test_takes_effect_at_once_and_on_refresh(self, sim: httpx.AsyncClient, setup: dict[str, Any]) -> None:
        client = OAuthClient(sim, setup["app"])
        saved = await client.submit(
            await signed_in(sim, setup), f"{MANAGE}/update", "Save changes", ticks={"offline_access", "vehicle_cmds"}
        )
        assert "saved" in page(saved).text
        assert page(saved).form(f"{MANAGE}/update").boxes() == {"offline_access": True, "vehicle_cmds": True}

        old = await sim.get(f"{setup['base']}/vehicles", headers=setup["headers"])
        assert old.status_code == 403
        assert old.json()["error"] == "Unauthorized missing scopes"

        refreshed = await refresh(sim, setup)
        assert refreshed.status_code == 200
        scp = jwt.decode(refreshed.json()["access_token"], options={"verify_signature": False})["scp"]
        assert set(scp) == {"openid", "offline_access", "vehicle_cmds"}

    async def test_the_update_form_works_once(self, sim: httpx.AsyncClient, setup: dict[str, Any]) -> None:
        form = page(await signed_in(sim, setup)).form(f"{MANAGE}/update")
        data = form.data(button=form.button("Remove all access"))
        assert (await sim.post(form.action, data=data)).status_code == 200
        assert (await sim.post(form.action, data=data)).status_code == 400


class TestRemovingOfflineAccess:
    async def test_refresh_is_refused(self, sim: httpx.AsyncClient, setup: dict[str, Any]) -> None:
        client = OAuthClient(sim, setup["app"])
        await client.submit(await signed_in(sim, setup), f"{MANAGE}/update", "Save changes", ticks={"vehicle_cmds"})
        response = await refresh(sim, setup)
        assert response.status_code == 401
        assert response.json()["error"] == "login_required"


class TestRevoking:
    async def test_access_and_refresh_stop(self, sim: httpx.AsyncClient, setup: dict[str, Any]) -> None:
        client = OAuthClient(sim, setup["app"])
        back_url = "https://app.example.com/settings"
        revoked = await client.submit(await signed_in(sim, setup, back_url), f"{MANAGE}/update", "Remove all access")
        assert "can no longer access" in page(revoked).text
        assert page(revoked).links == [back_url]
        assert page(revoked).forms == []
        assert (await sim.get(f"{setup['base']}/vehicles", headers=setup["headers"])).status_code == 401
        response = await refresh(sim, setup)
        assert response.status_code == 401
        assert response.json()["error"] == "login_required"


class TestBackUrl:
    @pytest.mark.parametrize(
        "back_url",
        ["https://app.example.com/settings?tab=tesla", "https://app.example.com:443/done", "https://APP.example.com/x"],
    )
    async def test_own_origin_is_linked(self, sim: httpx.AsyncClient, setup: dict[str, Any], back_url: str) -> None:
        assert back_url in page(await signed_in(sim, setup, back_url)).links

    @pytest.mark.parametrize(
        "back_url",
        [
            "https://evil.example.net/phish",
            "https://app.example.com.evil.example.net/",
            "https://app.example.com@evil.example.net/",
            "https://evil.example.net\\@app.example.com/",
            "http://app.example.com/plain-http",
            "javascript:alert(1)",
            "//evil.example.net/",
        ],
    )
    async def test_other_origins_are_not_linked(
        self, sim: httpx.AsyncClient, setup: dict[str, Any], back_url: str
    ) -> None:
        view = page(await signed_in(sim, setup, back_url))
        assert view.links == []

    async def test_userinfo_stops_too(self, sim: httpx.AsyncClient, setup: dict[str, Any]) -> None:
        client = OAuthClient(sim, setup["app"])
        await client.submit(await signed_in(sim, setup), f"{MANAGE}/update", "Remove all access")
        assert (await sim.get("/oauth2/v3/userinfo", headers=setup["headers"])).status_code == 401
