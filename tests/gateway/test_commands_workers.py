"""`fleetgate worker` processes on PostgreSQL: two workers share the commands of several vehicles, and never run two
commands of one vehicle at once; each vehicle gets its commands in submission order. A worker killed mid-command:
another one takes over, by the same recovery rules as a restarted API process."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from fleetgate.infra.db.engine import create_engine, create_sessionmaker
from fleetgate.infra.models import Command
from tests.gateway.commands_support import finished, sim_vehicle, submit, until
from tests.gateway.flows import connect_hosted, device_ids, tesla_account
from tests.gateway.processes import api_key_for, gateway_processes, kill_hard, new_port
from tests.gateway.test_commands_crash import executed, registered_app, until_executed
from tests.simulator.factories import SimFactory
from tests.support.live import LiveServer
from tests.support.polling import eventually

pytestmark = pytest.mark.live
ACCESS = ["vehicle_data", "vehicle_commands", "vehicle_charging_commands"]
VEHICLES = 4
PER_VEHICLE = 6


# Workers take their jobs from PostgreSQL: this test runs there only.
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
class TestTwoWorkers:
    async def test_commands_of_one_vehicle_never_overlap_and_keep_their_order(
        self,
        database_url: str,
        live_sim: LiveServer,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tmp_path: Path,
    ) -> None:
        port = new_port()
        url = f"http://127.0.0.1:{port}"
        app = await registered_app(factory, url, "workers.example.com")
        key = await api_key_for(database_url)
        settings = {"command_executor": "worker", "command_lease_seconds": 10, "command_poll_seconds": 0.5}
        with gateway_processes(tmp_path, database_url, live_sim.url, app, port, **settings) as procs:
            procs.serve()
            metrics_port = new_port()
            workers = [
                procs.start("worker", "--concurrency", "1", "--metrics-port", str(metrics_port), name="worker-1"),
                procs.start("worker", "--concurrency", "1", name="worker-2"),
            ]
            auth = {"Authorization": f"Bearer {key}"}
            async with (
                httpx.AsyncClient(base_url=url, headers=auth, timeout=30) as api,
                httpx.AsyncClient(base_url=url, timeout=30) as gateway,
            ):
                account = await tesla_account(factory, vehicles=[{} for _ in range(VEHICLES)])
                for vin in account.vins:
                    await factory.pair(vin, app["public_key_pem"])
                linked = await connect_hosted(api, gateway, sim, email=account.email, access=ACCESS)
                assert linked["status"] == "completed", linked
                devices = await device_ids(api)
                # Every answer a little late, so that two commands of one car would overlap if they could.
                slow = {"path": "/signed_command", "latency_ms": 150}
                assert (await sim.post("/sim/faults", json=slow)).status_code == 201
                limits = [50 + 5 * n for n in range(PER_VEHICLE)]

                async def send_all(vin: str) -> list[str]:
                    return [(await submit(api, devices[vin], "set_charge_limit", {"percent": p}))["id"] for p in limits]

                sent = dict(zip(account.vins, await asyncio.gather(*map(send_all, account.vins)), strict=True))
                results = {vin: [await until(api, command_id) for command_id in ids] for vin, ids in sent.items()}
            assert all(worker.poll() is None for worker in workers), procs.logs()
            scraped = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10)
            assert scraped.status_code == 200
            assert 'fleetgate_commands_ended_total{command="set_charge_limit",status="succeeded"}' in scraped.text

        runners: set[str] = set()
        for vin, done in results.items():
            assert [item["status"] for item in done] == ["succeeded"] * PER_VEHICLE, done
            for earlier, later in itertools.pairwise(done):
                assert earlier["completed_at"] <= later["started_at"], (earlier, later)
            executed = (await sim_vehicle(sim, vin))["executed_commands"]
            assert [entry["params"]["percent"] for entry in executed] == limits
            runners.update(await claimed_by(database_url, [item["id"] for item in done]))
        assert len(runners) == 2, runners  # both workers took part
        assert all(name.startswith("worker:") for name in runners)


async def claimed_by(database_url: str, command_ids: list[str]) -> set[str]:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            rows = await session.scalars(select(Command.claimed_by).where(Command.id.in_(command_ids)))
            return {row for row in rows if row is not None}
    finally:
        await engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
class TestAWorkerKilled:
    async def test_another_worker_ends_its_commands_by_the_recovery_rules(
        self,
        database_url: str,
        live_sim: LiveServer,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tmp_path: Path,
    ) -> None:
        port = new_port()
        url = f"http://127.0.0.1:{port}"
        app = await registered_app(factory, url, "workers.example.com")
        key = await api_key_for(database_url)
        settings = {"command_executor": "worker", "command_lease_seconds": 3, "command_poll_seconds": 0.5}
        with gateway_processes(tmp_path, database_url, live_sim.url, app, port, **settings) as procs:
            procs.serve()
            doomed = procs.start("worker", "--concurrency", "4", name="worker-doomed")
            auth = {"Authorization": f"Bearer {key}"}
            async with (
                httpx.AsyncClient(base_url=url, headers=auth, timeout=30) as api,
                httpx.AsyncClient(base_url=url, timeout=30) as gateway,
            ):
                account = await tesla_account(factory, vehicles=[{}, {}])
                for vin in account.vins:
                    await factory.pair(vin, app["public_key_pem"])
                linked = await connect_hosted(api, gateway, sim, email=account.email, access=ACCESS)
                assert linked["status"] == "completed", linked
                devices = await device_ids(api)
                honking, charging = account.vins
                for vin in account.vins:  # sessions first, so that the delayed call is the command itself
                    assert (await finished(api, devices[vin], "flash_lights"))["status"] == "succeeded"
                    fault = {"path": "/signed_command", "vin": vin, "latency_ms": 10_000, "count": 1}
                    assert (await sim.post("/sim/faults", json=fault)).status_code == 201

                honk = await submit(api, devices[honking], "honk_horn")
                behind = await submit(api, devices[honking], "flash_lights")
                limit = await submit(api, devices[charging], "set_charge_limit", {"percent": 66})
                await until_executed(sim, honking, "honk_horn")
                await until_executed(sim, charging, "set_charge_limit")
                kill_hard(doomed)
                procs.start("worker", name="worker-heir")

                honked = await until(api, honk["id"])
                flashed = await until(api, behind["id"])
                limited = await until(api, limit["id"])

        assert (honked["status"], honked["reason"]) == ("failed", "outcome_unknown")
        assert flashed["status"] == "succeeded", flashed
        assert (limited["status"], limited["attempts"]) == ("succeeded", 2)
        assert await executed(sim, honking) == ["flash_lights", "honk_horn", "flash_lights"]
        assert await executed(sim, charging) == ["flash_lights", "set_charge_limit", "set_charge_limit"]
        ran = await claimed_by(database_url, [behind["id"], limit["id"]])
        assert len(ran) == 1, ran  # both by the heir


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
class TestOrderAcrossACrash:
    async def test_the_worker_holding_the_first_command_killed_the_car_still_ends_at_the_last(
        self,
        database_url: str,
        live_sim: LiveServer,
        sim: httpx.AsyncClient,
        factory: SimFactory,
        tmp_path: Path,
    ) -> None:
        port = new_port()
        url = f"http://127.0.0.1:{port}"
        app = await registered_app(factory, url, "workers.example.com")
        key = await api_key_for(database_url)
        settings = {"command_executor": "worker", "command_lease_seconds": 3, "command_poll_seconds": 0.5}
        with gateway_processes(tmp_path, database_url, live_sim.url, app, port, **settings) as procs:
            procs.serve()
            workers = [procs.start("worker", name=f"worker-{n}") for n in (1, 2)]
            auth = {"Authorization": f"Bearer {key}"}
            async with (
                httpx.AsyncClient(base_url=url, headers=auth, timeout=30) as api,
                httpx.AsyncClient(base_url=url, timeout=30) as gateway,
            ):
                account = await tesla_account(factory, vehicles=[{}])
                (vin,) = account.vins
                await factory.pair(vin, app["public_key_pem"])
                linked = await connect_hosted(api, gateway, sim, email=account.email, access=ACCESS)
                assert linked["status"] == "completed", linked
                device = (await device_ids(api))[vin]
                assert (await finished(api, device, "flash_lights"))["status"] == "succeeded"
                # Every command slow to answer: the first is still at Tesla when the worker holding it dies.
                slow = {"path": "/signed_command", "vin": vin, "latency_ms": 1500}
                assert (await sim.post("/sim/faults", json=slow)).status_code == 201
                limits = [60, 61, 62, 63, 64]
                ids = [(await submit(api, device, "set_charge_limit", {"percent": p}))["id"] for p in limits]
                holder = await eventually(
                    lambda: running_worker(database_url, ids[0]), what="the first command's claim"
                )
                (doomed,) = [worker for worker in workers if f":{worker.pid}:" in holder]
                kill_hard(doomed)
                ended = [await until(api, command_id) for command_id in ids]
                car = await sim_vehicle(sim, vin)

        assert [item["status"] for item in ended] == ["succeeded"] * len(limits), ended
        executed = [entry["params"]["percent"] for entry in car["executed_commands"][1:]]
        # The first may have reached the car before its worker died, and is sent again (it is idempotent): never
        # after a later one.
        assert [percent for percent, _ in itertools.groupby(executed)] == limits, executed
        assert car["charge_limit_soc"] == 64


async def running_worker(database_url: str, command_id: str) -> str | None:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            command = await session.get(Command, command_id)
            return command.claimed_by if command is not None and command.status == "in_progress" else None
    finally:
        await engine.dispose()
