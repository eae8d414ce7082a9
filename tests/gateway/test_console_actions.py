"""What the console does, not only shows: each form calls the API's own service, answers with a redirect and a
message shown once, refuses a form without its CSRF token, and finds nothing of another workspace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from fleetgate.config import Settings
from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import GATEWAY_BASE, Tenant, make_tenant
from tests.gateway.console_pages import LOGIN, add_failing_webhook, api_key_id, csrf_token, logged_in, open_page
from tests.gateway.flows import Connector
from tests.gateway.test_api_key_cache import gateway_with
from tests.simulator.auth_helpers import Page
from tests.support.polling import eventually


async def api_devices(api: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    listed = (await api.get("/v1/devices")).json()["data"]
    return {device["type"]: device for device in listed}


async def submit(gateway: httpx.AsyncClient, shown: Page, action: str, **fields: str) -> httpx.Response:
    """Sends the page's form for `action` as a browser would, with `fields` typed in."""
    form = shown.form(action)
    data = {name: values[0] for name, values in form.data().items()}
    return await gateway.post(action, data={**data, **fields})


async def followed(gateway: httpx.AsyncClient, response: httpx.Response) -> Page:
    """The page a form's redirect leads to, with the form's result on it."""
    assert response.status_code == 303, (response.status_code, response.text)
    return await open_page(gateway, response.headers["location"])


class TestDeviceActions:
    async def test_reading_the_state_now_stores_what_the_api_reads(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await connect(energy_sites=1)
        vehicle = (await api_devices(tenant.client))["vehicle"]
        await logged_in(gateway, tenant.api_key)
        page = f"/console/devices/{vehicle['id']}"
        shown = await open_page(gateway, page)
        assert "Nothing read yet" in shown.text

        after = await followed(gateway, await submit(gateway, shown, f"{page}/state"))
        assert "State read from Tesla just now." in after.text
        assert "Read from Tesla" in after.text
        stored = (await tenant.client.get(f"{page.replace('/console', '/v1')}/state?max_age=3600")).json()
        assert f"Battery level (%) {stored['data']['battery_level_pct']:g}" in after.text
        # Shown once: the next page has no message.
        assert "State read from Tesla just now." not in (await open_page(gateway, page)).text

    async def test_a_sleeping_car_is_read_only_when_waking_it_is_asked_for(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await connect(vehicles=[{"state": "asleep"}])
        vehicle = (await api_devices(tenant.client))["vehicle"]
        await logged_in(gateway, tenant.api_key)
        page = f"/console/devices/{vehicle['id']}"
        shown = await open_page(gateway, page)

        refused = await followed(gateway, await submit(gateway, shown, f"{page}/state"))
        assert "The state was not read" in refused.text
        assert "vehicle_asleep" in refused.text
        assert "Nothing read yet" in refused.text

        woken = await followed(gateway, await submit(gateway, shown, f"{page}/state", wake="true"))
        assert "State read from Tesla just now." in woken.text

    async def test_re_checking_the_key_asks_tesla(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await connect(paired=True)
        vehicle = (await api_devices(tenant.client))["vehicle"]
        await logged_in(gateway, tenant.api_key)
        page = f"/console/devices/{vehicle['id']}"
        shown = await open_page(gateway, page)

        after = await followed(gateway, await submit(gateway, shown, f"{page}/virtual-key/check"))
        assert "Checked with Tesla just now: the app's key is on the car." in after.text
        key = (await tenant.client.get(f"/v1/devices/{vehicle['id']}/virtual-key")).json()
        assert key["paired"] is True
        assert key["checked_at"] is not None

    async def test_an_energy_site_has_no_key_to_check(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await connect(vehicles=[], energy_sites=1)
        site = (await api_devices(tenant.client))["energy_site"]
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{site['id']}")
        assert not any(form.action.endswith("/virtual-key/check") for form in shown.forms)
        response = await gateway.post(
            f"/console/devices/{site['id']}/virtual-key/check", data={"csrf_token": csrf_token(shown)}
        )
        assert response.status_code == 404


class TestSendingACommand:
    async def test_a_command_with_parameters_is_queued_as_the_api_queues_it(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await connect(vehicles=[], energy_sites=1)
        site = (await api_devices(tenant.client))["energy_site"]
        await logged_in(gateway, tenant.api_key)
        page = f"/console/devices/{site['id']}/commands/new"
        assert page in (await open_page(gateway, f"/console/devices/{site['id']}")).links
        shown = await open_page(gateway, page)
        assert shown.labels["set_backup_reserve-percent"] == "Percent"

        response = await gateway.post(
            f"/console/devices/{site['id']}/commands",
            data={"csrf_token": csrf_token(shown), "command": "set_backup_reserve", "param.percent": "30"},
        )
        after = await followed(gateway, response)
        command_id = response.headers["location"].rsplit("/", 1)[1]
        assert "set_backup_reserve queued" in after.text
        command = (await tenant.client.get(f"/v1/commands/{command_id}")).json()
        assert command["command"] == "set_backup_reserve"
        assert command["params"] == {"percent": 30}
        assert command["device_id"] == site["id"]

        finished = await eventually(
            lambda: tenant.client.get(f"/v1/commands/{command_id}"),
            until=lambda found: found.json()["status"] not in ("queued", "in_progress"),
            what="the command to end",
        )
        assert finished.json()["status"] == "succeeded"

    @pytest.mark.parametrize(
        ("fields", "shown"),
        [
            ({"command": "set_backup_reserve", "param.percent": "150"}, "params.percent"),
            ({"command": "set_backup_reserve"}, "params.percent"),
            ({"command": "honk_horn"}, "is a command for vehicles"),
            ({"command": "no_such_command"}, "There is no command"),
            ({"command": "x" * 200}, "choose a command from the list"),
        ],
    )
    async def test_bad_input_is_shown_on_the_form_and_nothing_is_queued(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant, fields: dict[str, str], shown: str
    ) -> None:
        await connect(vehicles=[], energy_sites=1)
        site = (await api_devices(tenant.client))["energy_site"]
        await logged_in(gateway, tenant.api_key)
        form = await open_page(gateway, f"/console/devices/{site['id']}/commands/new")
        response = await gateway.post(
            f"/console/devices/{site['id']}/commands", data={"csrf_token": csrf_token(form), **fields}
        )
        assert response.status_code == 422
        assert shown in response.text
        assert 'role="alert"' in response.text
        assert (await tenant.client.get("/v1/commands")).json()["data"] == []

    async def test_a_car_asleep_is_left_asleep_when_the_form_says_so(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await connect(vehicles=[{"state": "asleep"}], paired=True)
        vehicle = (await api_devices(tenant.client))["vehicle"]
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{vehicle['id']}/commands/new")
        assert shown.labels["flash_lights-if-asleep"] == "If the car is asleep"

        response = await gateway.post(
            f"/console/devices/{vehicle['id']}/commands",
            data={"csrf_token": csrf_token(shown), "command": "flash_lights", "if_asleep": "fail"},
        )
        command_id = response.headers["location"].rsplit("/", 1)[1]
        assert (await tenant.client.get(f"/v1/commands/{command_id}")).json()["wake"] is False
        finished = await eventually(
            lambda: tenant.client.get(f"/v1/commands/{command_id}"),
            until=lambda found: found.json()["status"] not in ("queued", "in_progress"),
            what="the command to end",
        )
        assert (finished.json()["status"], finished.json()["error"]["code"]) == ("failed", "vehicle_asleep")

    async def test_commands_the_car_cannot_take_are_shown_disabled_with_the_reason(
        self, connect: Connector, gateway: httpx.AsyncClient, tenant: Tenant
    ) -> None:
        await connect()
        vehicle = (await api_devices(tenant.client))["vehicle"]
        assert vehicle["capabilities"]["commands"]["reason"] == "virtual_key_not_paired"
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, f"/console/devices/{vehicle['id']}/commands/new")
        disabled = [
            attrs.get("aria-describedby") for tag, attrs in shown.tags if tag == "button" and "disabled" in attrs
        ]
        assert "command-door_lock-why" in disabled
        assert "command-wake_up-why" not in disabled
        assert "virtual_key_not_paired" in shown.text
        assert vehicle["virtual_key"]["pairing_url"] in shown.links


class TestWebhookActions:
    async def test_a_test_event_is_queued_for_the_endpoint(
        self, gateway: httpx.AsyncClient, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        rows = await add_failing_webhook(gateway_runtime, tenant.workspace_id, "https://192.0.3.10/hooks")
        await logged_in(gateway, tenant.api_key)
        page = f"/console/webhooks/{rows.endpoint_id}"
        shown = await open_page(gateway, page)
        after = await followed(gateway, await submit(gateway, shown, f"{page}/test"))
        assert "Test event queued" in after.text
        delivery = next(link for link in after.links if link.startswith("/console/webhooks/deliveries/"))
        listed = (await tenant.client.get(f"/v1/webhook-endpoints/{rows.endpoint_id}/deliveries")).json()["data"]
        assert delivery.rsplit("/", 1)[1] in {item["id"] for item in listed}

    async def test_a_delivery_is_sent_again(
        self, gateway: httpx.AsyncClient, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        rows = await add_failing_webhook(gateway_runtime, tenant.workspace_id, "https://192.0.3.10/hooks")
        await logged_in(gateway, tenant.api_key)
        page = f"/console/webhooks/deliveries/{rows.delivery_id}"
        shown = await open_page(gateway, page)
        after = await followed(gateway, await submit(gateway, shown, f"{page}/redeliver"))
        assert "Sent again" in after.text
        # The same path as the API's redelivery: the delivery is tried at once (192.0.3.10 is never reached).
        await eventually(
            lambda: tenant.client.get(f"/v1/webhook-endpoints/{rows.endpoint_id}/deliveries"),
            until=lambda found: found.json()["data"][0]["attempts"] > 2,
            what="the delivery to be attempted again",
        )

    async def test_a_disabled_endpoint_is_refused_with_the_reason(
        self, gateway: httpx.AsyncClient, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        rows = await add_failing_webhook(gateway_runtime, tenant.workspace_id, "https://192.0.3.10/hooks")
        await logged_in(gateway, tenant.api_key)
        token = csrf_token(await open_page(gateway, "/console/webhooks"))
        assert (await tenant.client.delete(f"/v1/webhook-endpoints/{rows.endpoint_id}")).status_code == 204
        # Gone with its deliveries: both are 404 pages now.
        for path in (
            f"/console/webhooks/{rows.endpoint_id}/test",
            f"/console/webhooks/deliveries/{rows.delivery_id}/redeliver",
        ):
            assert (await gateway.post(path, data={"csrf_token": token})).status_code == 404


def new_key(shown: Page) -> str:
    return next(attrs["value"] for _, attrs in shown.tags if attrs.get("id") == "new-api-key")


class TestApiKeys:
    async def test_a_new_key_is_shown_once_and_works(
        self, gateway: httpx.AsyncClient, gateway_app: FastAPI, tenant: Tenant
    ) -> None:
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, "/console/api-keys")
        assert "(this login)" in shown.text
        after = await followed(gateway, await submit(gateway, shown, "/console/api-keys", name="billing job"))
        assert "shown only once" in after.text
        key = new_key(after)
        assert key.startswith("fg_")
        assert "billing job" in after.text
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=gateway_app),
            base_url=GATEWAY_BASE,
            headers={"Authorization": f"Bearer {key}"},
        ) as client:
            assert (await client.get("/v1/customers")).status_code == 200
        again = await open_page(gateway, "/console/api-keys")
        assert key not in again.text
        assert "_".join(key.split("_")[:2]) in again.text  # its prefix stays listed

    async def test_a_too_long_name_is_refused(self, gateway: httpx.AsyncClient, tenant: Tenant) -> None:
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, "/console/api-keys")
        after = await followed(gateway, await submit(gateway, shown, "/console/api-keys", name="n" * 201))
        assert "No key created" in after.text
        assert not any(attrs.get("id") == "new-api-key" for _, attrs in after.tags)

    async def test_revoking_the_key_of_this_login_logs_out(self, gateway: httpx.AsyncClient, tenant: Tenant) -> None:
        await logged_in(gateway, tenant.api_key)
        shown = await open_page(gateway, "/console/api-keys")
        (revoke,) = [form.action for form in shown.forms if form.action.endswith("/revoke")]
        response = await submit(gateway, shown, revoke)
        assert response.status_code == 303
        after = await gateway.get(response.headers["location"])
        assert after.status_code == 303
        assert after.headers["location"] == f"{LOGIN}?reason=revoked"
        assert (await tenant.client.get("/v1/customers")).status_code == 401


@pytest.fixture
async def cached_app(gateway_settings: Settings, sim_app: FastAPI) -> AsyncIterator[FastAPI]:
    # Keys stay remembered for a minute: a revoked key refused at once proves the console's process forgets it.
    async for app in gateway_with(gateway_settings, sim_app, api_key_cache_seconds=60):
        yield app


async def test_a_revoked_key_is_refused_at_once_though_remembered(cached_app: FastAPI) -> None:
    runtime: Runtime = cached_app.state.runtime
    async for tenant in make_tenant(cached_app, "Acme"):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=cached_app), base_url=GATEWAY_BASE) as browser:
            await logged_in(browser, tenant.api_key)
            created = await followed(
                browser, await submit(browser, await open_page(browser, "/console/api-keys"), "/console/api-keys")
            )
            key = new_key(created)
            headers = {"Authorization": f"Bearer {key}"}
            assert (await tenant.client.get("/v1/customers", headers=headers)).status_code == 200  # now remembered
            revoke = f"/console/api-keys/{await api_key_id(runtime, key)}/revoke"
            after = await followed(browser, await submit(browser, created, revoke))
            assert "revoked: requests with it are refused" in after.text
            assert (await tenant.client.get("/v1/customers", headers=headers)).status_code == 401
            assert (await tenant.client.get("/v1/customers")).status_code == 200  # the other key stays


class TestForms:
    async def test_every_action_needs_the_csrf_token_and_another_workspaces_ids_are_not_found(
        self,
        connect: Connector,
        gateway: httpx.AsyncClient,
        gateway_runtime: Runtime,
        tenant: Tenant,
        other_tenant: Tenant,
    ) -> None:
        await connect(energy_sites=1)
        devices = await api_devices(tenant.client)
        vehicle, site = devices["vehicle"]["id"], devices["energy_site"]["id"]
        hooks = await add_failing_webhook(gateway_runtime, tenant.workspace_id, "https://192.0.3.10/hooks")
        theirs_key = await api_key_id(gateway_runtime, other_tenant.api_key)
        actions = {
            f"/console/devices/{vehicle}/state": {},
            f"/console/devices/{vehicle}/virtual-key/check": {},
            f"/console/devices/{site}/commands": {"command": "set_backup_reserve", "param.percent": "30"},
            f"/console/webhooks/{hooks.endpoint_id}/test": {},
            f"/console/webhooks/deliveries/{hooks.delivery_id}/redeliver": {},
            "/console/api-keys": {"name": "forged"},
            f"/console/api-keys/{theirs_key}/revoke": {},
        }
        await logged_in(gateway, tenant.api_key)
        for action, fields in actions.items():
            for forged in ({}, {"csrf_token": "not-the-token"}):
                refused = await gateway.post(action, data={**fields, **forged})
                assert refused.status_code == 403, action
                assert "form has expired" in refused.text
        assert (await tenant.client.get("/v1/commands")).json()["data"] == []
        assert (
            len((await tenant.client.get(f"/v1/webhook-endpoints/{hooks.endpoint_id}/deliveries")).json()["data"]) == 1
        )
        assert (await other_tenant.client.get("/v1/customers")).status_code == 200

        # Logged in to the other workspace, with its own valid token: every id of this one is not found.
        await logged_in(gateway, other_tenant.api_key)
        token = csrf_token(await open_page(gateway, "/console"))
        mine = await api_key_id(gateway_runtime, tenant.api_key)
        foreign = [
            path for path in actions if path not in ("/console/api-keys", f"/console/api-keys/{theirs_key}/revoke")
        ]
        for action in [*foreign, f"/console/api-keys/{mine}/revoke", f"/console/devices/{site}/commands/new"]:
            if action.endswith("/new"):
                response = await gateway.get(action)
            else:
                response = await gateway.post(action, data={**actions.get(action, {}), "csrf_token": token})
            assert response.status_code == 404, action
            assert "Not found" in response.text
        assert (await tenant.client.get("/v1/customers")).status_code == 200
        assert (await tenant.client.get("/v1/commands")).json()["data"] == []
