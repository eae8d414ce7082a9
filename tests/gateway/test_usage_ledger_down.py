"""A call Tesla may bill is made only once the usage ledger holds it: when the ledger cannot be written, nothing is
sent (and nothing billed), and the request fails as a temporary upstream failure."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text

from fleetgate.infra.runtime import Runtime
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector

REFUSE_LEDGER_ROWS = [
    """CREATE FUNCTION refuse_ledger_rows() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'the ledger is out of order'; END $$""",
    """CREATE TRIGGER refuse_ledger_rows BEFORE INSERT ON upstream_calls
       FOR EACH ROW EXECUTE FUNCTION refuse_ledger_rows()""",
]


# A trigger that refuses the ledger's inserts is a real database failure; SQLite has no such trigger language.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_no_ledger_row_no_call(
    gateway_runtime: Runtime, connect: Connector, tenant: Tenant, sim: httpx.AsyncClient
) -> None:
    car = (await connect(paired=True)).vehicle
    before = (await sim.get("/sim/usage")).json()["totals"]
    async with gateway_runtime.sessionmaker() as session, session.begin():
        for statement in REFUSE_LEDGER_ROWS:
            await session.execute(text(statement))

    response = await tenant.client.get(f"/v1/devices/{car.id}/state", params={"max_age": 0})

    assert response.status_code == 502, response.text
    assert "nothing was sent" in response.json()["error"]["message"]
    assert (await sim.get("/sim/usage")).json()["totals"] == before
