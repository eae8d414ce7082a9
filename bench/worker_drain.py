"""One car's queue drained by the API process's own executor, then by `fleetgate worker` processes: the same
commands, the same simulator, the same PostgreSQL server, side by side in one run.

Real sockets and processes, as in `chaos.py`: the simulator; for each mode a database of its own, a `fleetgate
serve` (with `FLEETGATE_COMMAND_EXECUTOR=in_process`, or `worker` beside `--workers` workers) and a car of its own
(Tesla and fleetgate limit each car to 30 commands a minute). `--commands` `set_charge_limit` commands are
submitted to the car at once, then followed until every one has ended; the time from the first submission to the
last end, by the gateway's own clock, gives a drain rate for each mode.

Run: `python bench/worker_drain.py` (see bench/README.md).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import secrets
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from chaos import (
    ACCESS,
    SCOPES,
    TERMINAL,
    Process,
    create_database,
    drop_database,
    gateway_env,
    until_ready,
    with_database,
)
from state_reads import HOST, checked, client, connect_account, create_api_key, free_port, register_app, start


async def drain(
    sim: httpx.AsyncClient, sim_url: str, args: argparse.Namespace, mode: str, workdir: Path, index: int
) -> float:
    """Commands a second for one car, in `mode`."""
    from fleetgate.protocol.keys import load_private_key_pem, public_key_pem

    database = create_database(args.postgres_url)
    processes: list[Process] = []
    try:
        database_url = with_database(args.postgres_url, database, "postgresql+psycopg")
        port = free_port()
        public_url = f"http://{HOST}:{port}"
        app = await register_app(sim, public_url)
        api_key = await create_api_key(database_url)
        email = f"queue-{mode}@example.com"
        account = checked(await sim.post("/sim/accounts", json={"email": email, "region": "na"}), 201)
        vin = checked(await sim.post(f"/sim/accounts/{account['id']}/vehicles", json={"charge_limit_soc": 80}), 201)[
            "vin"
        ]
        public_key = public_key_pem(load_private_key_pem(app["private_key_pem"].encode())).decode()
        checked(await sim.post(f"/sim/vehicles/{vin}/keys", json={"public_key": public_key, "role": "owner"}), 201)
        env = gateway_env(
            {
                "mode": "prod",
                "public_url": public_url,
                "database_url": database_url,
                "encryption_key": base64.b64encode(secrets.token_bytes(32)).decode(),
                "tesla": sim_url,
                "client_id": app["client_id"],
                "client_secret": app["client_secret"],
                "domain": "bench.fleetgate.test",
                "private_key_pem": app["private_key_pem"],
                "command_executor": mode,
                "device_sync_interval_seconds": 0,
                "webhook_poll_interval_seconds": 0,
            }
        )
        python = [sys.executable, "-m", "fleetgate"]
        api = Process(
            f"{mode}-api",
            [*python, "serve", "--host", HOST, "--port", str(port)],
            env,
            workdir / f"{mode}-api.log",
            port,
        )
        processes.append(api)
        if mode == "worker":
            for n in range(args.workers):
                processes.append(Process(f"worker-{n + 1}", [*python, "worker"], env, workdir / f"worker-{n + 1}.log"))
        for process in processes:
            process.start()
        await until_ready(api)
        async with client(public_url, {"Authorization": f"Bearer {api_key}"}) as gateway:
            (device,) = await connect_account(
                gateway, sim, reference_id=f"queue-{index}", email=email, access=ACCESS, scopes=SCOPES
            )
            limits = [70 + n % 2 * 10 for n in range(args.commands)]  # never the value the car has: no already_set
            ids = []
            for percent in limits:
                body = {"command": "set_charge_limit", "params": {"percent": percent}}
                ids.append(checked(await gateway.post(f"/v1/devices/{device['id']}/commands", json=body), 202)["id"])
            ended: list[dict[str, Any]] = []
            for command_id in ids:
                while True:
                    found = checked(await gateway.get(f"/v1/commands/{command_id}"))
                    if found["status"] in TERMINAL:
                        ended.append(found)
                        break
                    await asyncio.sleep(0.05)
        if any(item["status"] != "succeeded" for item in ended):
            raise RuntimeError(f"{mode}: not every command succeeded: {[item['status'] for item in ended]}")
        first = min(datetime.fromisoformat(item["created_at"]) for item in ended)
        last = max(datetime.fromisoformat(item["completed_at"]) for item in ended)
        return len(ended) / (last - first).total_seconds()
    finally:
        for process in processes:
            process.stop()
        drop_database(args.postgres_url, database)


async def measure(args: argparse.Namespace, workdir: Path) -> None:
    sim_server = await start("sim", {}, "/status")
    try:
        async with client(sim_server.url) as sim:
            in_process = await drain(sim, sim_server.url, args, "in_process", workdir, 1)
            workers = await drain(sim, sim_server.url, args, "worker", workdir, 2)
    finally:
        await sim_server.stop()
    print(f"RESULT in_process_commands_per_second_one_car={in_process:.2f}")
    print(f"RESULT worker_commands_per_second_one_car={workers:.2f}")
    print(f"RESULT worker_to_in_process_ratio={workers / in_process:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--commands", type=int, default=25, help="commands to the one car (Tesla allows 30 a minute)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("FLEETGATE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the run may create (and then drops) databases of its own",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fleetgate-drain-") as directory:
        asyncio.run(measure(args, Path(directory)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
