"""The client over a real socket (its production transport): the simulator on a uvicorn port, as the client would meet
Tesla."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import UpstreamError
from fleetgate.tesla.fleet import FleetSession
from fleetgate.tesla.oauth import OAuthClient, RefreshingToken, TokenSet, authorization_request
from fleetgate.tesla.signing.commander import SignedCommander
from fleetgate.tesla.transport import tesla_client
from tests.simulator.factories import REDIRECT_URI, SimFactory
from tests.support.live import LiveServer
from tests.support.polling import eventually
from tests.tesla.support import add_fault, connect, executed, vehicle_state

LATENCY_MS = 1500


async def eventually_executed(sim: httpx.AsyncClient, vin: str, name: str, count: int) -> list[dict[str, Any]]:
    """Waits for the simulator to finish a request whose client already gave up."""
    return await eventually(
        lambda: executed(sim, vin, name), until=lambda commands: len(commands) >= count, what=f"{vin} to run {name}"
    )


@pytest.mark.live
class TestOverARealPort:
    async def test_consent_exchange_and_a_signed_command(
        self, factory: SimFactory, live_sim: LiveServer, sim: httpx.AsyncClient
    ) -> None:
        endpoints = TeslaEndpoints.simulator(live_sim.url)
        app = await factory.app()
        account = await factory.account("driver@example.com")
        vin = (await factory.vehicle(account["id"]))["vin"]
        await factory.pair(vin, app["public_key_pem"])
        async with tesla_client() as http:
            oauth = OAuthClient(http, endpoints, app["client_id"], app["client_secret"])
            request = authorization_request(
                endpoints,
                client_id=app["client_id"],
                redirect_uri=REDIRECT_URI,
                scopes=["vehicle_device_data", "vehicle_cmds"],
                extra={
                    "login_hint": "driver@example.com",
                    "sim_grant": "offline_access vehicle_device_data vehicle_cmds",
                },
            )
            redirect = await http.get(request.url)
            tokens = await oauth.exchange_code(
                code=request.code_from_callback(redirect.headers["location"]),
                redirect_uri=REDIRECT_URI,
                code_verifier=request.code_verifier,
                audience=endpoints.base_url("na"),
            )
            region = endpoints.region_from_claims(tokens.claims.ou_code, tokens.claims.audience)

            async def persist(new: TokenSet) -> None:
                return None

            api = FleetApi(FleetSession(http, endpoints, RefreshingToken(oauth, tokens, persist), region))
            assert [v["vin"] for v in await api.vehicles()] == [vin]
            commander = SignedCommander(app["private_key"])
            assert (await commander.execute(api, vin, "door_unlock", {})).signed
            assert (await commander.execute(api, vin, "set_charge_limit", {"percent": 90})).signed
        state = await vehicle_state(sim, vin)
        assert (state["locked"], state["charge_limit_soc"]) == (False, 90)

    async def test_a_command_whose_answer_times_out_is_not_sent_again(
        self, factory: SimFactory, live_sim: LiveServer, sim: httpx.AsyncClient
    ) -> None:
        endpoints = TeslaEndpoints.simulator(live_sim.url)
        async with tesla_client() as http:
            env = await connect(factory, http, endpoints, pair="owner")
            commander = SignedCommander(env.app["private_key"])
            await commander.execute(env.api, env.vin, "door_unlock", {})  # the session is in place
            # Short only now: the handshake and first command above must not time out on a loaded machine.
            env.session.timeout = httpx.Timeout(5.0, read=0.3)
            # Up to two slow answers: a second arrival would consume the second one.
            await add_fault(sim, path="signed_command", vin=env.vin, latency_ms=LATENCY_MS, count=2)
            with pytest.raises(UpstreamError) as timed_out:
                await commander.execute(env.api, env.vin, "door_lock", {})
            assert timed_out.value.may_have_succeeded  # sent, and its answer lost: the caller must not send it again
            faults = (await sim.get("/sim/faults")).json()["data"]
            assert [fault["hits"] for fault in faults] == [1]  # the command reached Tesla once, and only once
            # The car ran it (only the answer was slow): exactly once, and the client did not send it again.
            assert len(await eventually_executed(sim, env.vin, "door_lock", 1)) == 1
            assert (await sim.delete("/sim/faults")).status_code == 200
            await commander.execute(env.api, env.vin, "door_lock", {})
            assert commander.handshakes == 1
        assert len(await executed(sim, env.vin, "door_lock")) == 2
        assert (await vehicle_state(sim, env.vin))["locked"] is True
