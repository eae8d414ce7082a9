"""fleetgate as real processes (`fleetgate serve`, `fleetgate worker`) on a real port, against the simulator on
another, sharing a database the test prepares: for what only a real process shows (a `kill -9`, two workers)."""

from __future__ import annotations

import base64
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from fleetgate.features.workspaces.service import create_api_key, create_workspace
from fleetgate.infra.db.engine import create_engine, create_sessionmaker
from tests.support.live import free_port

READY_DEADLINE_SECONDS = 60.0


@dataclass
class Processes:
    """The settings every process shares, and the processes started with them."""

    env: dict[str, str]
    directory: Path
    port: int
    started: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *command: str, name: str, **settings: str) -> subprocess.Popen[bytes]:
        env = {**self.env, **{f"FLEETGATE_{key.upper()}": value for key, value in settings.items()}}
        log = (self.directory / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "fleetgate", *command],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=self.directory,
        )
        log.close()
        self.started.append(process)
        return process

    def serve(self, **settings: str) -> subprocess.Popen[bytes]:
        process = self.start("serve", "--port", str(self.port), name="serve", **settings)
        self.wait_ready(process)
        return process

    def wait_ready(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + READY_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"fleetgate exited with {process.returncode}:\n{self.logs()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"fleetgate did not answer in time:\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.directory.glob("*.log")))

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """`kill -9`: no shutdown, no cleanup, whatever was in flight."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


async def api_key_for(database_url: str, name: str = "Acme Energy") -> str:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            workspace = await create_workspace(session, name)
            _, key = await create_api_key(session, workspace.id, "tests")
            return key.key
    finally:
        await engine.dispose()


@contextmanager
def gateway_processes(
    directory: Path, database_url: str, sim_url: str, app: dict[str, Any], port: int, **settings: Any
) -> Iterator[Processes]:
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("FLEETGATE_")},
        "PYTHONUNBUFFERED": "1",
        "FLEETGATE_MODE": "prod",
        "FLEETGATE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "FLEETGATE_DATABASE_URL": database_url,
        "FLEETGATE_ENCRYPTION_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "FLEETGATE_TESLA": sim_url,
        "FLEETGATE_CLIENT_ID": app["client_id"],
        "FLEETGATE_CLIENT_SECRET": app["client_secret"],
        "FLEETGATE_DOMAIN": app["domain"],
        "FLEETGATE_PRIVATE_KEY_PEM": app["private_key_pem"],
        "FLEETGATE_DEVICE_SYNC_INTERVAL_SECONDS": "0",
        **{f"FLEETGATE_{key.upper()}": str(value) for key, value in settings.items()},
    }
    processes = Processes(env, directory, port)
    try:
        yield processes
    finally:
        processes.stop_all()


def new_port() -> int:
    return free_port()
