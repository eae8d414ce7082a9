"""The command line, run as a user would run it: a real process on a real port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.support.live import free_port


class Running:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.output = ""


@contextmanager
def running(*args: str) -> Iterator[Running]:
    process = subprocess.Popen(
        [sys.executable, "-m", "fleetgate", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    handle = Running(process)
    try:
        yield handle
    finally:
        process.terminate()
        handle.output, _ = process.communicate(timeout=10)


def wait_for(url: str, handle: Running) -> httpx.Response:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if handle.process.poll() is not None:
            raise AssertionError(f"process exited with {handle.process.returncode}")
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer")


class TestSimulatorCommand:
    def test_serves_the_seeded_demo_world_on_the_given_port(self) -> None:
        port = free_port()
        with running("simulator", "--host", "127.0.0.1", "--port", str(port)) as process:
            assert wait_for(f"http://127.0.0.1:{port}/status", process).text == "ok"
            accounts = httpx.get(f"http://127.0.0.1:{port}/sim/accounts").json()["data"]
            assert [a["email"] for a in accounts] == ["driver@example.com"]
        output = process.output
        assert f"Simulator: http://127.0.0.1:{port}" in output
        assert "client_id=fleetgate-demo-app" in output

    def test_help_lists_the_commands(self) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "fleetgate", "--help"], capture_output=True, text=True, check=True
        )
        assert "simulator" in result.stdout
