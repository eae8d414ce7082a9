"""`fleetgate telemetry`, run as an operator runs it: a process of its own on a real port."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.gateway.telemetry_cars import HOST, Pki
from tests.support.live import free_port
from tests.support.polling import eventually


def receiver_env(tmp_path: Path, **telemetry: str) -> dict[str, str]:
    settings = {f"FLEETGATE_TELEMETRY_{name.upper()}": value for name, value in telemetry.items()}
    return {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "FLEETGATE_MODE": "dev",
        "FLEETGATE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fleetgate.db'}",
        **settings,
    }


async def test_the_receiver_runs_alone_and_answers_status(tmp_path: Path) -> None:
    pki = Pki.create(tmp_path)
    cert, key, vehicle_ca = pki.server_tls_files()
    port, metrics_port = free_port(), free_port()
    env = receiver_env(tmp_path, cert_path=str(cert), key_path=str(key), vehicle_ca_path=str(vehicle_ca))
    command = [sys.executable, "-m", "fleetgate", "telemetry", "--host", HOST, "--port", str(port)]
    command += ["--metrics-port", str(metrics_port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:

        async def status() -> str | None:
            assert process.poll() is None, "the receiver exited"
            try:
                async with httpx.AsyncClient(verify=pki.car_tls("5YJ3E1EA0NF000003")) as client:
                    return (await client.get(f"https://{HOST}:{port}/status", timeout=2)).text
            except httpx.TransportError:
                return None

        assert await eventually(status, what="the receiver's /status") == "mtls ok"
        async with httpx.AsyncClient() as client:
            metrics = (await client.get(f"http://{HOST}:{metrics_port}/metrics")).text
        assert "fleetgate_telemetry_streams 0.0" in metrics
    finally:
        process.terminate()  # SIGTERM: it stops as it should, closing the cars' sockets
        output, _ = process.communicate(timeout=30)
    assert f"listening on {HOST}:{port}" in output
    assert "stopping" in output
    assert process.returncode == 0, output


def test_missing_certificates_are_named(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fleetgate", "telemetry"],
        env=receiver_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode != 0
    assert "FLEETGATE_TELEMETRY_CERT_PATH" in result.stdout + result.stderr
