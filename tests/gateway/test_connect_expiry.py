"""An expired connect session: its pages say so (410), and a callback that arrives late links nothing.

The gateway keeps real time, so these sessions get a two-second lifetime from the settings, and the test waits for
it to run out (it waits for a moment, it never measures one).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from fleetgate.config import Settings
from fleetgate.infra.models import Connection, ConnectSession
from fleetgate.infra.runtime import Runtime
from tests.gateway.test_connect_flow import ALL_SCOPES, EMAIL, EndUser, row, rows
from tests.simulator.auth_helpers import page
from tests.simulator.factories import SimFactory
from tests.support.polling import eventually

TTL_SECONDS = 2


@pytest.fixture
def user(api: httpx.AsyncClient, gateway: httpx.AsyncClient, sim: httpx.AsyncClient) -> EndUser:
    return EndUser(api, gateway, sim)


@pytest.fixture
def gateway_settings(gateway_settings: Settings) -> Settings:
    # Below the setting's floor of 60 s on purpose (model_copy does not validate): no test should wait a minute.
    return gateway_settings.model_copy(update={"connect_session_ttl_seconds": TTL_SECONDS})


async def wait_until_expired(session: dict[str, Any]) -> None:
    expires_at = datetime.fromisoformat(session["expires_at"])
    await eventually(lambda: datetime.now(UTC) > expires_at, what=f"{session['id']} to expire at {expires_at}")


class TestExpiredSession:
    async def test_reads_as_expired_and_its_pages_say_what_to_do(self, user: EndUser) -> None:
        created = await user.create(["vehicle_data"])
        await wait_until_expired(created)
        assert (await user.session(created["id"]))["status"] == "expired"
        for path in (
            f"/connect/{created['id']}",
            f"/connect/{created['id']}/start",
            f"/connect/{created['id']}/result",
        ):
            response = await user.gateway.get(path)
            assert response.status_code == 410, path
            shown = page(response)
            assert "expired" in shown.text
            assert "ask for a new link" in shown.text
            assert "Acme Energy" in shown.text

    async def test_a_late_callback_is_410_and_links_nothing(
        self, user: EndUser, factory: SimFactory, gateway_runtime: Runtime
    ) -> None:
        await factory.account(EMAIL)
        created = await user.create(["vehicle_data"], redirect_url="https://app.example.com/done")
        authorize_url = await user.start(created["id"])
        callback = await user.consent(authorize_url, ALL_SCOPES)
        await wait_until_expired(created)

        response = await user.back_from_tesla(callback)
        assert response.status_code == 410
        assert "expired" in page(response).text
        session = await user.session(created["id"])
        assert session["status"] == "expired"
        assert session["connection_id"] is None
        assert await rows(gateway_runtime, Connection, Connection.customer_id == created["customer_id"]) == []
        stored = await row(gateway_runtime, ConnectSession, created["id"])
        assert (stored.status, stored.oauth_state_hash, stored.code_verifier_enc) == ("expired", None, None)
        # And it stays that way: the same answer again is now an unknown state.
        assert (await user.back_from_tesla(callback)).status_code == 400
        assert (await user.session(created["id"]))["status"] == "expired"
