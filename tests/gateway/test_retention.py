"""Retention: ended commands, events and upstream calls past their age are deleted, the rest stays."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Command, Event, UpstreamCall
from fleetgate.infra.runtime import Runtime
from fleetgate.jobs.retention import prune
from tests.gateway.commands_support import finished
from tests.gateway.conftest import Tenant
from tests.gateway.flows import Connector


async def count(runtime: Runtime, model: Any) -> int:
    async with runtime.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


class TestPrune:
    async def test_old_records_go_and_recent_or_unfinished_ones_stay(
        self, connect: Connector, gateway_runtime: Runtime, tenant: Tenant
    ) -> None:
        car = (await connect(paired=True)).vehicle
        old = await finished(tenant.client, car.id, "door_lock")
        recent = await finished(tenant.client, car.id, "door_unlock")
        waiting = await finished(tenant.client, car.id, "flash_lights", expires_in=86400)
        long_ago = utcnow() - timedelta(days=500)
        async with gateway_runtime.sessionmaker() as session, session.begin():
            # Ages set by hand: a year and more is not something a test waits for.
            await session.execute(update(Command).where(Command.id == old["id"]).values(completed_at=long_ago))
            # Put back in the queue long ago, and due only tomorrow: a command not ended is kept, whatever its age.
            await session.execute(
                update(Command)
                .where(Command.id == waiting["id"])
                .values(
                    status="queued",
                    created_at=long_ago,
                    completed_at=None,
                    not_before=utcnow() + timedelta(days=1),
                )
            )
            first_event = await session.scalar(select(Event.id).order_by(Event.created_at).limit(1))
            await session.execute(update(Event).where(Event.id == first_event).values(created_at=long_ago))
            first_call = await session.scalar(select(UpstreamCall.id).order_by(UpstreamCall.at).limit(1))
            await session.execute(update(UpstreamCall).where(UpstreamCall.id == first_call).values(at=long_ago))
        events, calls = await count(gateway_runtime, Event), await count(gateway_runtime, UpstreamCall)

        pruned = await prune(gateway_runtime.sessionmaker, gateway_runtime.settings, utcnow())

        assert (pruned.commands, pruned.events, pruned.upstream_calls) == (1, 1, 1)
        assert (await tenant.client.get(f"/v1/commands/{old['id']}")).status_code == 404
        assert (await tenant.client.get(f"/v1/commands/{recent['id']}")).status_code == 200
        assert (await tenant.client.get(f"/v1/commands/{waiting['id']}")).status_code == 200
        assert (await tenant.client.get(f"/v1/events/{first_event}")).status_code == 404
        assert await count(gateway_runtime, Event) == events - 1
        assert await count(gateway_runtime, UpstreamCall) == calls - 1
        again = await prune(gateway_runtime.sessionmaker, gateway_runtime.settings, utcnow())
        assert (again.commands, again.events, again.upstream_calls) == (0, 0, 0)
