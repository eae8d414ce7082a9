"""The virtual-key approval page behind `/_ak/<domain>?vin=<VIN>`: sign in, approve or decline, and refusals."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from tesla_protocol.command import signatures_pb2 as sig
from tesla_protocol.command import vcsec_pb2 as vcsec

from fleetgate.protocol.keys import public_key_bytes
from fleetgate.simulator.world import World
from tests.simulator.factories import SimFactory
from tests.support.signer import VCSEC, CommandChannel, Signer, rke, vcsec_response

DOMAIN = "acme.example.com"
TRANSACTION = re.compile(r'name="transaction_id" value="([^"]+)"')


def transaction_of(page: httpx.Response) -> str:
    match = TRANSACTION.search(page.text)
    assert match, page.text
    return match.group(1)


async def seeded(
    factory: SimFactory, *, scopes: str = "openid offline_access vehicle_device_data vehicle_cmds"
) -> dict[str, Any]:
    app = await factory.app(name="Acme Charging", domain=DOMAIN)
    account = await factory.account(email="owner@example.com")
    vehicle = await factory.vehicle(account["id"], display_name="Blue Thunder")
    tokens = await factory.tokens(app["client_id"], account["id"], scopes)
    return {"app": app, "account": account, "vehicle": vehicle, "tokens": tokens}


async def sign_in(sim: httpx.AsyncClient, *, vin: str | None, email: str = "owner@example.com") -> httpx.Response:
    link = await sim.get(f"/_ak/{DOMAIN}", params={"vin": vin} if vin else {})
    assert link.status_code == 200
    return await sim.post(f"/_ak/{DOMAIN}", data={"transaction_id": transaction_of(link), "email": email})


async def decide(sim: httpx.AsyncClient, approval_page: httpx.Response, decision: str) -> httpx.Response:
    return await sim.post(
        f"/_ak/{DOMAIN}/decision", data={"transaction_id": transaction_of(approval_page), "decision": decision}
    )


async def keys_on(sim: httpx.AsyncClient, vin: str) -> list[dict[str, Any]]:
    return (await sim.get(f"/sim/vehicles/{vin}")).json()["keys"]


def app_key_hex(env: dict[str, Any]) -> str:
    return public_key_bytes(env["app"]["private_key"]).hex()


class TestSignIn:
    async def test_link_asks_the_owner_to_sign_in_with_the_hint_prefilled(self, sim: httpx.AsyncClient) -> None:
        page = await sim.get(f"/_ak/{DOMAIN}", params={"vin": "5YJ3E1EA0KF000001", "login_hint": "me@example.com"})
        assert page.status_code == 200
        assert 'value="me@example.com"' in page.text
        assert DOMAIN in page.text
        assert page.headers["cache-control"] == "no-store"

    async def test_unknown_email_stays_on_sign_in(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await seeded(factory)
        page = await sign_in(sim, vin=env["vehicle"]["vin"], email="nobody@example.com")
        assert page.status_code == 401
        assert "No Tesla account" in page.text
        retry = await sim.post(
            f"/_ak/{DOMAIN}", data={"transaction_id": transaction_of(page), "email": "owner@example.com"}
        )
        assert retry.status_code == 200
        assert "wants to add a virtual key" in retry.text


class TestApproval:
    async def test_approval_screen_names_app_domain_and_vehicle(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        env = await seeded(factory)
        page = await sign_in(sim, vin=env["vehicle"]["vin"])
        assert page.status_code == 200
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page.text))
        assert f"Acme Charging ({DOMAIN}) wants to add a virtual key to Blue Thunder ({env['vehicle']['vin']})" in text

    async def test_approve_whitelists_the_registered_key_as_owner(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        env = await seeded(factory)
        vin = env["vehicle"]["vin"]
        done = await decide(sim, await sign_in(sim, vin=vin), "approve")
        assert done.status_code == 200
        assert "was added" in done.text
        added = [key for key in await keys_on(sim, vin) if key["public_key"] == app_key_hex(env)]
        assert len(added) == 1
        assert added[0]["role"] == "owner"
        assert added[0]["domain"] == DOMAIN
        assert added[0]["active"] is True

    async def test_decline_adds_nothing(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await seeded(factory)
        vin = env["vehicle"]["vin"]
        before = await keys_on(sim, vin)
        page = await decide(sim, await sign_in(sim, vin=vin), "decline")
        assert page.status_code == 200
        assert "No key was added" in page.text
        assert await keys_on(sim, vin) == before

    async def test_a_decision_is_taken_once(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await seeded(factory)
        approval = await sign_in(sim, vin=env["vehicle"]["vin"])
        assert (await decide(sim, approval, "decline")).status_code == 200
        replay = await decide(sim, approval, "approve")
        assert replay.status_code == 400
        assert "invalid_transaction" in replay.text
        assert app_key_hex(env) not in {key["public_key"] for key in await keys_on(sim, env["vehicle"]["vin"])}

    async def test_made_up_transaction_leads_nowhere(self, sim: httpx.AsyncClient) -> None:
        response = await sim.post(f"/_ak/{DOMAIN}/decision", data={"transaction_id": "abc", "decision": "approve"})
        assert response.status_code == 400

    async def test_approving_again_is_idempotent(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await seeded(factory)
        vin = env["vehicle"]["vin"]
        for _ in range(2):
            assert (await decide(sim, await sign_in(sim, vin=vin), "approve")).status_code == 200
        keys = await keys_on(sim, vin)
        assert len(keys) == 2
        assert sum(key["public_key"] == app_key_hex(env) for key in keys) == 1

    async def test_without_a_vin_the_owner_chooses_the_vehicle(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        env = await seeded(factory)
        second = await factory.vehicle(env["account"]["id"], display_name="Red Comet")
        choose = await sign_in(sim, vin=None)
        assert choose.status_code == 200
        assert "Blue Thunder" in choose.text
        assert "Red Comet" in choose.text
        approval = await sim.post(
            f"/_ak/{DOMAIN}/vehicle", data={"transaction_id": transaction_of(choose), "vin": second["vin"]}
        )
        assert "Red Comet" in approval.text
        assert (await decide(sim, approval, "approve")).status_code == 200
        assert app_key_hex(env) in {key["public_key"] for key in await keys_on(sim, second["vin"])}
        assert app_key_hex(env) not in {key["public_key"] for key in await keys_on(sim, env["vehicle"]["vin"])}

    async def test_after_approval_the_app_can_send_signed_commands(
        self, factory: SimFactory, sim: httpx.AsyncClient, world: World
    ) -> None:
        env = await seeded(factory)
        vin = env["vehicle"]["vin"]
        headers = {"Authorization": f"Bearer {env['tokens']['access_token']}"}
        channel = CommandChannel(sim, "/na/api/1", headers, Signer(env["app"]["private_key"], vin, world.now))
        request = channel.signer.session_info_request(VCSEC)
        before = channel.signer.read_session_info(request, await channel.exchange(request))
        assert before.status == sig.SESSION_INFO_STATUS_KEY_NOT_ON_WHITELIST

        await decide(sim, await sign_in(sim, vin=vin), "approve")
        await channel.handshake(VCSEC)
        reply = vcsec_response(await channel.command(VCSEC, rke(vcsec.RKE_ACTION_UNLOCK)))
        assert reply.commandStatus.operationStatus == vcsec.OPERATIONSTATUS_OK
        status = await sim.post("/na/api/1/vehicles/fleet_status", json={"vins": [vin]}, headers=headers)
        assert status.json()["response"]["key_paired_vins"] == [vin]


class TestRefusals:
    async def test_domain_not_registered_in_the_accounts_region(
        self, factory: SimFactory, sim: httpx.AsyncClient
    ) -> None:
        app = await factory.app(register=False, name="Acme Charging")
        await sim.post(
            f"/sim/apps/{app['client_id']}/partner_accounts",
            json={"domain": DOMAIN, "public_key": app["public_key_pem"], "regions": ["eu"]},
        )
        account = await factory.account(email="owner@example.com", region="na")
        vehicle = await factory.vehicle(account["id"])
        await factory.tokens(app["client_id"], account["id"], "openid vehicle_cmds")
        page = await sign_in(sim, vin=vehicle["vin"])
        assert page.status_code == 404
        assert "not registered" in page.text
        assert "app_not_registered" in page.text

    async def test_unknown_domain(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await seeded(factory)
        link = await sim.get("/_ak/unknown.example.org", params={"vin": env["vehicle"]["vin"]})
        page = await sim.post(
            "/_ak/unknown.example.org", data={"transaction_id": transaction_of(link), "email": "owner@example.com"}
        )
        assert page.status_code == 404

    @pytest.mark.parametrize("scopes", [None, "openid offline_access user_data energy_cmds vehicle_charging_cmds"])
    async def test_user_has_not_granted_vehicle_access(
        self, factory: SimFactory, sim: httpx.AsyncClient, scopes: str | None
    ) -> None:
        app = await factory.app(name="Acme Charging", domain=DOMAIN)
        account = await factory.account(email="owner@example.com")
        vehicle = await factory.vehicle(account["id"])
        if scopes:
            await factory.tokens(app["client_id"], account["id"], scopes)
        page = await sign_in(sim, vin=vehicle["vin"])
        assert page.status_code == 403
        assert "access_not_granted" in page.text

    @pytest.mark.parametrize("scope", ["vehicle_device_data", "vehicle_cmds", "vehicle_location"])
    async def test_any_of_the_vehicle_grants_is_enough(
        self, factory: SimFactory, sim: httpx.AsyncClient, scope: str
    ) -> None:
        env = await seeded(factory, scopes=f"openid {scope}")
        assert (await sign_in(sim, vin=env["vehicle"]["vin"])).status_code == 200

    async def test_vehicle_of_another_account(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        await seeded(factory)
        stranger = await factory.account(email="stranger@example.com")
        theirs = await factory.vehicle(stranger["id"])
        page = await sign_in(sim, vin=theirs["vin"])
        assert page.status_code == 404
        assert "vehicle_not_found" in page.text
        assert len(await keys_on(sim, theirs["vin"])) == 1

    async def test_a_chosen_vehicle_must_be_the_owners_too(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        await seeded(factory)
        stranger = await factory.account(email="stranger@example.com")
        theirs = await factory.vehicle(stranger["id"])
        choose = await sign_in(sim, vin=None)
        page = await sim.post(
            f"/_ak/{DOMAIN}/vehicle", data={"transaction_id": transaction_of(choose), "vin": theirs["vin"]}
        )
        assert page.status_code == 404

    async def test_twenty_keys_is_the_limit(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await seeded(factory)
        vin = env["vehicle"]["vin"]
        for _ in range(19):  # the owner's phone key is already there
            await factory.pair(vin, (await factory.app(register=False))["public_key_pem"])
        page = await sign_in(sim, vin=vin)
        assert page.status_code == 409
        assert "too_many_keys" in page.text

    async def test_access_narrowed_while_the_page_was_open(self, factory: SimFactory, sim: httpx.AsyncClient) -> None:
        env = await seeded(factory)
        approval = await sign_in(sim, vin=env["vehicle"]["vin"])
        await factory.tokens(env["app"]["client_id"], env["account"]["id"], "openid energy_cmds")
        page = await decide(sim, approval, "approve")
        assert page.status_code == 403
        assert app_key_hex(env) not in {key["public_key"] for key in await keys_on(sim, env["vehicle"]["vin"])}
