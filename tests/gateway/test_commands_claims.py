"""The claim is where order is kept: whoever claims, and whatever list of due commands they read before, only a
device's oldest unfinished command can be claimed, also after a claim was recovered from a dead executor; and an
executor that lost its claim learns it before it sends."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fleetgate.features.commands import lifecycle
from fleetgate.features.commands.outcomes import succeeded
from fleetgate.features.commands.runner import run_job
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Command, Device, UpstreamCall
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from tests.gateway.commands_support import sim_vehicle
from tests.gateway.flows import Connector

Sessions = async_sessionmaker[AsyncSession]
LEASE = 30.0


@pytest.fixture
def gateway_settings(gateway_settings):  # type: ignore[no-untyped-def]
    # Nothing in the API process claims: the test is the only executor.
    return gateway_settings.model_copy(update={"command_poll_seconds": 60.0, "command_concurrency": 1})


async def lease_ran_out() -> datetime:
    """A moment after the claims of this test's 1 ms leases ran out."""
    await asyncio.sleep(0.01)
    return utcnow()


async def queue(sessions: Sessions, device_id: str, *percents: int) -> list[str]:
    ids = []
    async with sessions() as session, session.begin():
        device = await session.get(Device, device_id)
        assert device is not None
        start = utcnow() - timedelta(seconds=10)
        for n, percent in enumerate(percents):
            command = Command(
                id=new_id("cmd"),
                workspace_id=device.workspace_id,
                device_id=device.id,
                connection_id=device.connection_id,
                customer_id=device.customer_id,
                command="set_charge_limit",
                params={"percent": percent},
                idempotent=True,
                created_at=start + timedelta(milliseconds=n),
                not_before=start,
                expires_at=utcnow() + timedelta(hours=1),
            )
            session.add(command)
            ids.append(command.id)
    return ids


async def test_only_the_oldest_unfinished_command_of_a_device_can_be_claimed(
    gateway_runtime: Runtime, connect: Connector
) -> None:
    sessions = gateway_runtime.sessionmaker
    car = (await connect(paired=True)).vehicle
    first, second, third = await queue(sessions, car.id, 60, 61, 62)

    assert await lifecycle.claim(sessions, second, "worker:a", LEASE) is None
    assert await lifecycle.claim(sessions, first, "worker:a", LEASE) is not None
    # Running, the first still holds its device: the next is not claimable by anyone.
    assert await lifecycle.claim(sessions, second, "worker:b", LEASE) is None
    assert await gateway_runtime.writer.run(lambda writes: lifecycle.settle(writes, first, "worker:a", succeeded(None)))
    assert await lifecycle.claim(sessions, third, "worker:b", LEASE) is None
    assert await lifecycle.claim(sessions, second, "worker:b", LEASE) is not None


async def test_a_recovered_claim_runs_before_anything_submitted_after_it(
    gateway_runtime: Runtime, connect: Connector
) -> None:
    sessions = gateway_runtime.sessionmaker
    car = (await connect(paired=True)).vehicle
    first, second = await queue(sessions, car.id, 60, 61)
    assert await lifecycle.claim(sessions, first, "worker:dead", 0.001) is not None

    recovered = await lifecycle.recover(sessions, await lease_ran_out())
    assert [(item.command_id, item.status) for item in recovered] == [(first, "queued")]

    assert await lifecycle.due(gateway_runtime.reader, utcnow(), 10) == [first]
    assert await lifecycle.claim(sessions, second, "worker:heir", LEASE) is None
    job = await lifecycle.claim(sessions, first, "worker:heir", LEASE)
    assert job is not None
    assert job.attempts == 2


async def test_an_executor_whose_claim_was_taken_over_may_not_mark_a_send(
    gateway_runtime: Runtime, connect: Connector
) -> None:
    sessions = gateway_runtime.sessionmaker
    car = (await connect(paired=True)).vehicle
    (only,) = await queue(sessions, car.id, 70)
    assert await lifecycle.claim(sessions, only, "worker:stalled", 0.001) is not None
    assert await lifecycle.mark_sent(sessions, only, "worker:stalled", sent=True)

    await lifecycle.recover(sessions, await lease_ran_out())
    assert await lifecycle.claim(sessions, only, "worker:heir", LEASE) is not None
    assert not await lifecycle.mark_sent(sessions, only, "worker:stalled", sent=True)
    assert await lifecycle.mark_sent(sessions, only, "worker:heir", sent=True)


async def test_an_executor_whose_claim_was_taken_over_sends_nothing_and_writes_no_outcome(
    gateway_runtime: Runtime, connect: Connector, sim: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """The mark before sending rides in the ledger's reservation of the request that carries the command: a lost
    claim undoes that reservation and stops the request, whatever came before it (here, the session handshake)."""
    sessions = gateway_runtime.sessionmaker
    car = (await connect(paired=True)).vehicle
    (only,) = await queue(sessions, car.id, 70)
    stalled = await lifecycle.claim(sessions, only, "worker:stalled", 0.001)
    assert stalled is not None
    await lifecycle.recover(sessions, await lease_ran_out())
    assert await lifecycle.claim(sessions, only, "worker:heir", LEASE) is not None

    assert await run_job(gateway_runtime, stalled, "worker:stalled") is None
    assert "the claim was lost before sending" in caplog.text  # stopped there, not at the outcome

    assert (await sim_vehicle(sim, car.external_id))["executed_commands"] == []
    async with sessions() as session:
        command = await session.get(Command, only)
        assert command is not None
        assert (command.status, command.claimed_by, command.sent_at) == ("in_progress", "worker:heir", None)
        ledger = (await session.scalars(select(UpstreamCall.endpoint).where(UpstreamCall.device_id == car.id))).all()
    # The handshake went out, and the ledger counts it as Tesla does; the command's reservation went with the mark.
    assert list(ledger) == ["/api/1/vehicles/{vehicle_tag}/signed_command"]
    endpoints = (await sim.get("/sim/usage")).json()["endpoints"]
    assert sum(calls.get("POST /vehicles/{vehicle_tag}/signed_command", 0) for calls in endpoints.values()) == 1


async def test_due_commands_of_several_devices_are_claimed_together_each_devices_oldest_only(
    gateway_runtime: Runtime, connect: Connector
) -> None:
    sessions = gateway_runtime.sessionmaker
    linked = await connect(paired=True, vehicles=[{}, {}])
    one, two = (linked.device_id(vin) for vin in linked.account.vins)
    first_of_one, second_of_one = await queue(sessions, one, 60, 61)
    (first_of_two,) = await queue(sessions, two, 70)

    # As a stale list of due commands might name them: the second of `one` is not its device's oldest.
    jobs = await lifecycle.claim_many(sessions, [second_of_one, first_of_two, first_of_one], "worker:a", LEASE)

    assert sorted(job.command_id for job in jobs) == sorted([first_of_one, first_of_two])
    assert {job.command_id: job.device.id for job in jobs} == {first_of_one: one, first_of_two: two}
    assert all(job.connection.id == linked.connection_id for job in jobs)
    assert await lifecycle.claim_many(sessions, [second_of_one, first_of_two], "worker:b", LEASE) == []
