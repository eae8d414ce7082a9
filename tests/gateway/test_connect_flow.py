"""The whole Connect flow through the hosted pages, with the simulator's scripted consent.

Also the helpers the other `test_connect_*` files drive the flow with: an end user's browser, followed by hand.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from sqlalchemy import select

from fleetgate.features.access.scopes import ACCESS_NAMES
from fleetgate.infra.models import Connection, ConnectSession, Device
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import APP_DOMAIN, GATEWAY_BASE, SIM_BASE, Tenant
from tests.gateway.console_pages import logged_in, open_page
from tests.simulator.auth_helpers import Page, page
from tests.simulator.factories import SimFactory

EMAIL = "owner@example.com"
CALLBACK = f"{GATEWAY_BASE}/connect/callback"
AUTHORIZE = f"{SIM_BASE}/oauth2/v3/authorize"
ALL_SCOPES = (
    "openid offline_access vehicle_device_data vehicle_location vehicle_cmds vehicle_charging_cmds "
    "energy_device_data energy_cmds user_data"
)


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


@dataclass
class EndUser:
    """The end user's browser (the gateway's pages and Tesla's), and the application's API client."""

    api: httpx.AsyncClient
    gateway: httpx.AsyncClient
    sim: httpx.AsyncClient

    async def create(self, access: list[str], **body: Any) -> dict[str, Any]:
        response = await self.api.post(
            "/v1/connect-sessions", json={"reference_id": "user-1", "access": access, **body}
        )
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def session(self, session_id: str) -> dict[str, Any]:
        response = await self.api.get(f"/v1/connect-sessions/{session_id}")
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    async def start(self, session_id: str) -> str:
        """Taps "Continue to Tesla": the authorize URL the gateway redirects to."""
        response = await self.gateway.get(f"/connect/{session_id}/start")
        assert response.status_code == 302, response.text
        location = response.headers["location"]
        assert location.startswith(f"{AUTHORIZE}?"), location
        return location

    async def consent(self, authorize_url: str, grant: str, email: str = EMAIL) -> str:
        """Signs in at Tesla and ticks exactly `grant`: the callback URL Tesla sends the browser back to."""
        response = await self.sim.get(f"{authorize_url}&{urlencode({'login_hint': email, 'sim_grant': grant})}")
        assert response.status_code == 302, response.text
        location = response.headers["location"]
        assert location.startswith(f"{CALLBACK}?"), location
        return location

    async def deny(self, authorize_url: str, email: str = EMAIL) -> str:
        """Signs in at Tesla and presses Deny on the consent page."""
        sign_in = page(await self.sim.get(authorize_url))
        form = sign_in.form("/oauth2/v3/authorize")
        consent = page(await self.sim.post(form.action, data=form.data(identity=email)))
        decision = consent.form("/oauth2/v3/authorize/consent")
        response = await self.sim.post(decision.action, data=decision.data(button=decision.button("Deny")))
        assert response.status_code == 302, response.text
        location = response.headers["location"]
        assert location.startswith(f"{CALLBACK}?"), location
        return location

    async def back_from_tesla(self, callback_url: str) -> httpx.Response:
        return await self.gateway.get(callback_url)

    async def connect(self, access: list[str], grant: str, **body: Any) -> tuple[dict[str, Any], httpx.Response]:
        created = await self.create(access, **body)
        callback = await self.consent(await self.start(created["id"]), grant)
        return created, await self.back_from_tesla(callback)

    async def result_page(self, session_id: str) -> Page:
        response = await self.gateway.get(f"/connect/{session_id}/result")
        assert response.status_code == 200, response.text
        return page(response)


@pytest.fixture
def user(api: httpx.AsyncClient, gateway: httpx.AsyncClient, sim: httpx.AsyncClient) -> EndUser:
    return EndUser(api, gateway, sim)


async def row(runtime: Runtime, model: type[Any], row_id: str) -> Any:
    async with runtime.sessionmaker() as session:
        return await session.get(model, row_id)


async def rows(runtime: Runtime, model: type[Any], *where: Any) -> list[Any]:
    async with runtime.sessionmaker() as session:
        return list((await session.scalars(select(model).where(*where))).all())


@pytest.fixture
async def tesla_owner(factory: SimFactory) -> dict[str, Any]:
    """A Tesla account with one vehicle (needs the key, not paired) and one energy site."""
    account = await factory.account(EMAIL)
    vehicle = await factory.vehicle(account["id"], vin="5YJ3E1EA1NF000001")
    site = await factory.energy_site(account["id"])
    return {"account": account, "vehicle": vehicle, "site": site}


class TestFullConsent:
    async def test_links_the_account_discovers_devices_and_returns_to_the_app(
        self, user: EndUser, tesla_owner: dict[str, Any], gateway_runtime: Runtime
    ) -> None:
        created, back = await user.connect(
            list(ACCESS_NAMES), ALL_SCOPES, redirect_url="https://app.example.com/tesla/done?order=7"
        )
        # The car lacks the app's key: the pairing step comes first, and skipping it leads back to the app.
        assert back.status_code == 303, back.text
        assert back.headers["location"] == f"/connect/{created['id']}/pairing"
        step = page(await user.gateway.get(back.headers["location"]))
        (location,) = [link for link in step.links if link.startswith("https://app.example.com/")]
        assert location.startswith("https://app.example.com/tesla/done?")
        query = query_of(location)
        session = await user.session(created["id"])
        assert query == {
            "order": "7",
            "connect_session_id": created["id"],
            "connection_id": session["connection_id"],
            "status": "completed",
        }
        assert session["status"] == "completed"
        assert session["granted_access"] == list(ACCESS_NAMES)
        assert session["missing_access"] == []
        assert session["error"] is None

        connection = await row(gateway_runtime, Connection, session["connection_id"])
        assert connection.status == "active"
        assert connection.customer_id == created["customer_id"]
        devices = await rows(gateway_runtime, Device, Device.connection_id == connection.id)
        assert {(d.type, d.external_id) for d in devices} == {
            ("vehicle", tesla_owner["vehicle"]["vin"]),
            ("energy_site", str(tesla_owner["site"]["energy_site_id"])),
        }

    async def test_without_redirect_url_ends_on_the_result_page(
        self, user: EndUser, tesla_owner: dict[str, Any]
    ) -> None:
        created, back = await user.connect(["vehicle_data"], "openid offline_access vehicle_device_data")
        assert back.status_code == 303
        assert back.headers["location"] == f"/connect/{created['id']}/result"
        result = await user.result_page(created["id"])
        assert "You're connected" in result.text
        assert "Acme Energy can now reach 1 vehicle in your Tesla account." in result.text
        assert "Vehicle information" in result.text

    async def test_secrets_stay_out_of_logs_pages_and_the_database(
        self,
        user: EndUser,
        tesla_owner: dict[str, Any],
        gateway_runtime: Runtime,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        caplog.set_level(logging.DEBUG)
        created = await user.create(["vehicle_commands"])
        intro = await user.gateway.get(f"/connect/{created['id']}")
        authorize_url = await user.start(created["id"])
        oauth_state = query_of(authorize_url)["state"]
        stored = await row(gateway_runtime, ConnectSession, created["id"])
        verifier = gateway_runtime.encryptor.decrypt(
            stored.code_verifier_enc, context=f"connect_session:{created['id']}:code_verifier"
        )
        assert stored.oauth_state_hash == hashlib.sha256(oauth_state.encode()).hexdigest()
        assert verifier not in stored.code_verifier_enc
        callback = await user.consent(authorize_url, ALL_SCOPES)
        back = await user.back_from_tesla(callback)
        result = await user.gateway.get(f"/connect/{created['id']}/result")
        api_view = await user.api.get(f"/v1/connect-sessions/{created['id']}")
        # The browser's own requests carry the state by design; the test's HTTP client logs them as it plays it.
        logged = "\n".join(
            record.getMessage()
            for record in caplog.records
            if not (
                record.name == "httpx"
                and ("/oauth2/v3/authorize?" in record.getMessage() or CALLBACK in record.getMessage())
            )
        )
        for text in (intro.text, back.text, back.headers.get("location", ""), result.text, api_view.text, logged):
            assert oauth_state not in text
            assert verifier not in text
        done = await row(gateway_runtime, ConnectSession, created["id"])
        assert done.oauth_state_hash is None
        assert done.code_verifier_enc is None


class TestPartialConsent:
    async def test_missing_access_is_listed_with_both_remedies(
        self, user: EndUser, tesla_owner: dict[str, Any], gateway_runtime: Runtime
    ) -> None:
        created, back = await user.connect(
            ["vehicle_data", "vehicle_location", "vehicle_commands"], "openid offline_access vehicle_device_data"
        )
        assert back.status_code == 303
        session = await user.session(created["id"])
        assert session["status"] == "completed"
        assert session["granted_access"] == ["vehicle_data"]
        assert session["missing_access"] == ["vehicle_location", "vehicle_commands"]
        connection = await row(gateway_runtime, Connection, session["connection_id"])
        assert connection.status == "active"

        result = await user.result_page(created["id"])
        assert "some access missing" in result.text
        granted = result.text.split("Allowed")[1].split("Not allowed")[0]
        missing = result.text.split("Not allowed")[1]
        assert "Vehicle information" in granted
        assert "Vehicle location" in missing
        assert "Vehicle commands" in missing
        reconnect = result.form(f"/connect/{created['id']}/reconnect")
        assert reconnect.attrs["method"] == "post"
        assert reconnect.button("Reconnect to grant missing access")
        manage = next(link for link in result.links if link.startswith(f"{SIM_BASE}/user/revoke/consent?"))
        assert query_of(manage) == {
            "revoke_client_id": gateway_runtime.settings.client_id,
            "back_url": f"{GATEWAY_BASE}/connect/{created['id']}/result",
        }

    async def test_the_redirect_names_the_missing_access(self, user: EndUser, tesla_owner: dict[str, Any]) -> None:
        _, back = await user.connect(
            ["vehicle_data", "vehicle_location"],
            "openid offline_access vehicle_device_data",
            redirect_url="https://app.example.com/done",
        )
        query = query_of(back.headers["location"])
        assert query["status"] == "completed"
        assert query["missing_access"] == "vehicle_location"


class TestWithoutRefreshTokens:
    """Tesla's consent shows `offline_access` as "Refresh Tokens", unticked at first: left so, the connection works
    until its access token ends (8 hours) and then needs a reconnect. It is missing access like any other."""

    async def test_it_is_named_as_missing_with_the_reconnect_remedy(
        self, user: EndUser, tesla_owner: dict[str, Any], gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        created, back = await user.connect(["vehicle_data"], "openid vehicle_device_data")
        assert back.status_code == 303
        session = await user.session(created["id"])
        assert session["status"] == "completed"
        assert session["granted_access"] == ["vehicle_data"]
        assert session["missing_access"] == ["offline_access"]
        connection = (await user.api.get(f"/v1/connections/{session['connection_id']}")).json()
        assert connection["missing_access"] == ["offline_access"]
        assert connection["remedies"]["reconnect_api_url"]

        result = await user.result_page(created["id"])
        assert "some access missing" in result.text
        missing = result.text.split("Not allowed")[1]
        assert "Stay connected" in missing
        assert result.form(f"/connect/{created['id']}/reconnect").button("Reconnect to grant missing access")

        await logged_in(user.gateway, tenant.api_key)
        overview = await open_page(user.gateway, "/console")
        attention = overview.text.split("Needs attention")[1]
        assert "Connections that stop after 8 hours" in attention
        assert f"/console/connections/{session['connection_id']}" in overview.links

    async def test_it_is_not_an_access_an_application_asks_for(self, user: EndUser) -> None:
        response = await user.api.post(
            "/v1/connect-sessions", json={"reference_id": "user-1", "access": ["vehicle_data", "offline_access"]}
        )
        assert response.status_code == 422, response.text


class TestReconnect:
    async def test_adds_the_missing_scopes_to_the_same_connection(
        self, user: EndUser, tesla_owner: dict[str, Any], gateway_runtime: Runtime
    ) -> None:
        access = ["vehicle_data", "vehicle_location", "vehicle_commands"]
        first, _ = await user.connect(access, "openid offline_access vehicle_device_data")
        connection_id = (await user.session(first["id"]))["connection_id"]
        before = await row(gateway_runtime, Connection, connection_id)

        response = await user.gateway.post(f"/connect/{first['id']}/reconnect")
        assert response.status_code == 303, response.text
        start_path = response.headers["location"]
        second_id = start_path.split("/")[2]
        assert start_path == f"/connect/{second_id}/start"
        assert second_id != first["id"]
        intro = page(await user.gateway.get(f"/connect/{second_id}"))
        assert "already connected" in intro.text
        authorize_url = await user.start(second_id)
        assert query_of(authorize_url)["prompt_missing_scopes"] == "true"
        back = await user.back_from_tesla(await user.consent(authorize_url, ALL_SCOPES))
        assert back.status_code == 303

        second = await user.session(second_id)
        assert second["status"] == "completed"
        assert second["reconnect"] is True
        assert second["connection_id"] == connection_id
        assert second["missing_access"] == []
        after = await row(gateway_runtime, Connection, connection_id)
        assert set(before.granted_scopes) < set(after.granted_scopes)
        assert {"vehicle_location", "vehicle_cmds"} <= set(after.granted_scopes)
        assert len(await rows(gateway_runtime, Connection, Connection.customer_id == first["customer_id"])) == 1

    async def test_is_only_offered_for_a_completed_session(self, user: EndUser) -> None:
        created = await user.create(["vehicle_data"])
        response = await user.gateway.post(f"/connect/{created['id']}/reconnect")
        assert response.status_code == 303
        assert response.headers["location"] == f"/connect/{created['id']}/result"


class TestReplay:
    async def test_a_used_state_is_refused_and_changes_nothing(
        self, user: EndUser, tesla_owner: dict[str, Any], gateway_runtime: Runtime
    ) -> None:
        created = await user.create(["vehicle_data"])
        callback = await user.consent(await user.start(created["id"]), ALL_SCOPES)
        first = await user.back_from_tesla(callback)
        assert first.status_code == 303
        before = await user.session(created["id"])

        again = await user.back_from_tesla(callback)
        assert again.status_code == 400
        assert "already used" in page(again).text
        assert await user.session(created["id"]) == before
        assert len(await rows(gateway_runtime, Connection, Connection.customer_id == created["customer_id"])) == 1


class TestVirtualKeyPairing:
    async def test_the_pairing_step_has_a_link_and_qr_code_for_each_car_without_the_key(
        self, user: EndUser, factory: SimFactory, tesla_app: dict[str, Any]
    ) -> None:
        account = await factory.account(EMAIL)
        unpaired = await factory.vehicle(account["id"], vin="5YJ3E1EA1NF000010", command_signing="required")
        paired = await factory.vehicle(account["id"], vin="5YJ3E1EA1NF000011", command_signing="required")
        legacy = await factory.vehicle(account["id"], vin="5YJSA1E2XHF000012", command_signing="off")
        await factory.pair(paired["vin"], tesla_app["public_key_pem"])

        created, back = await user.connect(["vehicle_data", "vehicle_commands"], ALL_SCOPES)
        assert back.headers["location"] == f"/connect/{created['id']}/pairing"
        response = await user.gateway.get(back.headers["location"])
        step = page(response)
        pairing = f"{SIM_BASE}/_ak/{APP_DOMAIN}?vin="
        assert [link for link in step.links if link.startswith(pairing)] == [f"{pairing}{unpaired['vin']}"]
        assert response.text.count('<svg class="qr"') == 1
        assert "Key added" in step.text  # the car that already has it, as such
        assert legacy["vin"] not in response.text  # a car without the protocol takes no key
        assert "Scan this" in step.text

        # The result page reminds of the car still without the key and leads to the step.
        result = await user.result_page(created["id"])
        assert f"/connect/{created['id']}/pairing" in result.links
        assert not [link for link in result.links if link.startswith(pairing)]

    async def test_no_pairing_step_for_an_app_that_does_not_send_commands(
        self, user: EndUser, tesla_owner: dict[str, Any]
    ) -> None:
        created, back = await user.connect(["vehicle_data"], ALL_SCOPES)
        assert back.headers["location"] == f"/connect/{created['id']}/result"
        response = await user.gateway.get(f"/connect/{created['id']}/result")
        assert "/_ak/" not in response.text
        assert '<svg class="qr"' not in response.text
        assert "virtual key" not in response.text
        step = await user.gateway.get(f"/connect/{created['id']}/pairing")
        assert step.status_code == 303
        assert step.headers["location"] == f"/connect/{created['id']}/result"


class TestRequireAll:
    async def test_missing_access_still_links_and_is_listed(
        self, user: EndUser, tesla_owner: dict[str, Any], gateway_runtime: Runtime
    ) -> None:
        # Tesla enforces `require_requested_scopes` on its consent page; this stands for a grant that got through
        # anyway (the flag ignored), which the gateway must report rather than hide.
        created = await user.create(["vehicle_data", "vehicle_location"], require_all=True)
        authorize_url = await user.start(created["id"])
        assert "require_requested_scopes=true" in authorize_url
        lenient = authorize_url.replace("&require_requested_scopes=true", "")
        back = await user.back_from_tesla(await user.consent(lenient, "openid offline_access vehicle_device_data"))
        assert back.status_code == 303
        session = await user.session(created["id"])
        assert session["status"] == "completed"
        assert session["missing_access"] == ["vehicle_location"]
        assert (await row(gateway_runtime, Connection, session["connection_id"])).status == "active"


class TestDifferentTeslaAccount:
    async def test_a_reconnect_with_another_account_fails_and_leaves_the_connection_alone(
        self, user: EndUser, tesla_owner: dict[str, Any], factory: SimFactory, gateway_runtime: Runtime
    ) -> None:
        await factory.account("someone.else@example.com")
        first, _ = await user.connect(["vehicle_data", "vehicle_location"], "openid offline_access vehicle_device_data")
        connection_id = (await user.session(first["id"]))["connection_id"]
        before = await row(gateway_runtime, Connection, connection_id)

        second_id = (await user.gateway.post(f"/connect/{first['id']}/reconnect")).headers["location"].split("/")[2]
        callback = await user.consent(await user.start(second_id), ALL_SCOPES, email="someone.else@example.com")
        assert (await user.back_from_tesla(callback)).status_code == 303
        second = await user.session(second_id)
        assert second["status"] == "failed"
        assert second["error"]["code"] == "different_tesla_account"
        after = await row(gateway_runtime, Connection, connection_id)
        assert (after.tesla_subject, after.granted_scopes) == (before.tesla_subject, before.granted_scopes)
        assert "another Tesla account" in (await user.result_page(second_id)).text


class TestDiscoveryFailure:
    async def test_the_account_is_linked_and_devices_come_later(
        self, user: EndUser, tesla_owner: dict[str, Any], gateway_runtime: Runtime
    ) -> None:
        fault = await user.sim.post("/sim/faults", json={"path": "/products", "status": 503})
        assert fault.status_code == 201, fault.text
        created, back = await user.connect(["vehicle_data"], ALL_SCOPES)
        assert back.status_code == 303
        session = await user.session(created["id"])
        assert session["status"] == "completed"
        assert (await row(gateway_runtime, Connection, session["connection_id"])).status == "active"
        assert await rows(gateway_runtime, Device, Device.connection_id == session["connection_id"]) == []
        assert "could not be listed yet" in (await user.result_page(created["id"])).text
