"""`fleetgate dev` run as a new user runs it: a real process on real ports, driven over real HTTP with the key and
URLs it prints."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx
import pytest

from fleetgate.protocol.keys import public_key_from_text
from tests.simulator.factories import ALL_USER_SCOPES
from tests.support.live import free_port
from tests.support.polling import eventually

pytestmark = pytest.mark.live

START_DEADLINE_SECONDS = 90.0
DEMO_EMAIL = "driver@example.com"
PAIRED_VIN = "5YJ3E1EA4PF000001"
UNPAIRED_VIN = "7SAYGDEE9PA000002"
KEY_PATH = "/.well-known/appspecific/com.tesla.3p.public-key.pem"
ALL_ACCESS = [
    "vehicle_data",
    "vehicle_location",
    "vehicle_commands",
    "vehicle_charging_commands",
    "energy_data",
    "energy_commands",
]


@dataclass
class Dev:
    process: subprocess.Popen[str]
    data_dir: Path
    lines: queue.Queue[str | None] = field(default_factory=queue.Queue)  # None: the output ended
    output: list[str] = field(default_factory=list)
    printed: dict[str, str] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return self.printed["Gateway"]

    @property
    def sim(self) -> str:
        return self.printed["Simulator"]

    @property
    def telemetry(self) -> str:
        return self.printed["Telemetry"]

    @property
    def api_key(self) -> str:
        return self.printed["API key"]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}

    def text(self) -> str:
        return "\n".join(self.output)

    def wait_until_ready(self) -> None:
        """Reads the banner, to its last line (the curl's body); it is printed once both servers listen and the
        seeding is done."""
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        banner_read = False
        while not banner_read:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"fleetgate dev printed no complete banner in time:\n{self.text()}") from None
            if line is None:
                raise AssertionError(f"fleetgate dev exited with {self.process.wait()}:\n{self.text()}")
            for label in ("Gateway", "Simulator", "Telemetry", "Console", "Docs", "API key"):
                if line.startswith(f"{label}: "):
                    self.printed[label] = line.split(": ", 1)[1].strip()
            banner_read = "API key" in self.printed and line.lstrip().startswith("-d '")

    def line_with(self, text: str) -> str:
        """The next line printed that contains `text`, waiting for it as for the banner."""
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"fleetgate dev printed no line with {text!r}:\n{self.text()}") from None
            if line is None:
                raise AssertionError(f"fleetgate dev exited with {self.process.wait()}:\n{self.text()}")
            if text in line:
                return line

    def stop(self) -> int:
        """Ctrl-C, as a user would stop it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=60)


@contextmanager
def running_dev(
    data_dir: Path, *, port: int | None = None, sim_port: int | None = None, telemetry_port: int | None = None
) -> Iterator[Dev]:
    port = port or free_port()
    sim_port = sim_port or free_port()
    telemetry_port = telemetry_port or free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "fleetgate", "dev", "--host", "127.0.0.1"),
            *("--port", str(port), "--sim-port", str(sim_port), "--telemetry-port", str(telemetry_port)),
            *("--data-dir", str(data_dir)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Away from the repository, so no `.env` there changes the settings.
        cwd=data_dir.parent,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    dev = Dev(process, data_dir)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            dev.output.append(line.rstrip("\n"))
            dev.lines.put(line.rstrip("\n"))
        dev.lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield dev
    finally:
        try:
            dev.stop()
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dev]:
    with running_dev(tmp_path_factory.mktemp("dev") / "var") as process:
        process.wait_until_ready()
        yield process


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=30, trust_env=False, follow_redirects=False) as client:
        yield client


def walk_connect_flow(http: httpx.Client, dev: Dev, reference_id: str) -> dict[str, Any]:
    created = http.post(
        f"{dev.gateway}/v1/connect-sessions",
        headers=dev.auth,
        json={"reference_id": reference_id, "access": ALL_ACCESS},
    )
    assert created.status_code == 201, created.text
    return follow_consent(http, dev, created.json())


def follow_consent(http: httpx.Client, dev: Dev, session: dict[str, Any]) -> dict[str, Any]:
    """Follows a connect session by hand, as a browser would, through the simulator's scripted consent."""
    assert http.get(urljoin(dev.gateway, session["url"])).status_code == 200

    start = http.get(f"{dev.gateway}/connect/{session['id']}/start")
    assert start.status_code == 302, start.text
    authorize = start.headers["location"]
    assert authorize.startswith(f"{dev.sim}/oauth2/v3/authorize?")
    scopes = parse_qs(urlsplit(authorize).query)["scope"][0]
    consent = http.get(f"{authorize}&{urlencode({'login_hint': DEMO_EMAIL, 'sim_grant': scopes})}")
    assert consent.status_code == 302, consent.text
    callback = consent.headers["location"]
    assert callback.startswith(f"{dev.gateway}/connect/callback?")

    landed = http.get(callback)
    assert landed.status_code == 303, landed.text
    result = http.get(urljoin(dev.gateway, landed.headers["location"]))
    assert result.status_code == 200, result.text
    # The result page offers the pairing link for the car that does not have the app's key yet.
    assert f"{dev.sim}/_ak/{dev.gateway.removeprefix('http://')}?vin={UNPAIRED_VIN}" in result.text
    status = http.get(f"{dev.gateway}/v1/connect-sessions/{session['id']}", headers=dev.auth).json()
    assert status["status"] == "completed", status
    return status


def device_ids(http: httpx.Client, dev: Dev, connection_id: str) -> list[str]:
    devices = http.get(f"{dev.gateway}/v1/devices", params={"connection_id": connection_id}, headers=dev.auth)
    return sorted(device["id"] for device in devices.json()["data"])


class TestFirstStart:
    def test_prints_the_urls_and_serves_them(self, dev: Dev, http: httpx.Client) -> None:
        assert dev.gateway.startswith("http://127.0.0.1:")
        assert dev.printed["Docs"] == f"{dev.gateway}/docs"
        assert dev.printed["Console"] == f"{dev.gateway}/console"
        assert DEMO_EMAIL in dev.text()
        assert f"curl -s -X POST {dev.gateway}/v1/connect-sessions" in dev.text()
        assert http.get(f"{dev.gateway}/healthz").json() == {"status": "ok"}
        assert http.get(dev.printed["Docs"]).status_code == 200
        console = http.get(dev.printed["Console"], follow_redirects=True)
        assert console.status_code == 200
        assert console.url.path.startswith("/console")
        assert "fleetgate console" in console.text
        assert http.get(f"{dev.sim}/status").text == "ok"

    def test_serves_the_app_key_kept_in_the_data_dir(self, dev: Dev, http: httpx.Client) -> None:
        response = http.get(f"{dev.gateway}{KEY_PATH}")
        assert response.status_code == 200
        assert response.text.startswith("-----BEGIN PUBLIC KEY-----")

    def test_keeps_its_secrets_owner_only_and_no_api_key_in_clear(self, dev: Dev) -> None:
        for name in ("private-key.pem", "dev.json"):
            assert (dev.data_dir / name).stat().st_mode & 0o777 == 0o600
        for name in ("dev-ca-key.pem", "server-key.pem"):
            assert (dev.data_dir / "telemetry" / name).stat().st_mode & 0o777 == 0o600
        # API keys are stored hashed: the key is nowhere in the data directory (database, its WAL, dev.json).
        for path in dev.data_dir.rglob("*"):
            if path.is_file():
                assert dev.api_key.encode() not in path.read_bytes(), path

    def test_the_printed_api_key_works(self, dev: Dev, http: httpx.Client) -> None:
        assert dev.api_key.startswith("fg_")
        assert http.get(f"{dev.gateway}/v1/customers", headers=dev.auth).status_code == 200
        assert http.get(f"{dev.gateway}/v1/customers").status_code == 401


README = Path(__file__).resolve().parents[1] / "README.md"
README_BANNER_INTRO = "then prints:\n\n```\n"


def readme_banner() -> list[str]:
    text = README.read_text()
    start = text.index(README_BANNER_INTRO) + len(README_BANNER_INTRO)
    return text[start : text.index("```", start)].splitlines()


def comparable(lines: list[str], dev: Dev) -> list[str]:
    """The lines with what changes from one start to the next (ports, data directory, keys, ids, times) made equal."""
    gateway_port = urlsplit(dev.gateway).port
    sim_port = urlsplit(dev.sim).port
    telemetry_port = urlsplit(dev.telemetry).port
    replacements = [
        (rf"127\.0\.0\.1:{telemetry_port}\b", "127.0.0.1:TELEMETRY"),
        (rf"127\.0\.0\.1:{gateway_port}\b", "127.0.0.1:GATEWAY"),
        (rf"127\.0\.0\.1:{sim_port}\b", "127.0.0.1:SIM"),
        (r"127\.0\.0\.1:8080\b", "127.0.0.1:GATEWAY"),
        (r"127\.0\.0\.1:8081\b", "127.0.0.1:SIM"),
        (r"127\.0\.0\.1:8082\b", "127.0.0.1:TELEMETRY"),
        (re.escape(str(dev.data_dir)), "var"),
        (r"fg_[0-9a-f]{8}_[A-Za-z0-9_-]+", "fg_KEY"),
        (r"ws_[0-9a-f]+", "ws_ID"),
        (r"req_[0-9a-f]+", "req_ID"),
        (r"\b\d+ ms\b", "N ms"),
        (r"client_id [0-9a-f-]{36}", "client_id ID"),
    ]
    out = []
    for line in lines:
        for pattern, value in replacements:
            line = re.sub(pattern, value, line)
        out.append(line)
    return out


class TestReadme:
    def test_its_sample_output_is_what_fleetgate_dev_prints(self, dev: Dev) -> None:
        printed = list(dev.output)
        end = next(i for i, line in enumerate(printed) if line.lstrip().startswith("-d '"))
        assert comparable(readme_banner(), dev) == comparable(printed[: end + 1], dev)


class TestRequestLog:
    def test_each_request_is_a_line_without_its_query_string_or_credentials(self, dev: Dev, http: httpx.Client) -> None:
        secret = "sk_live_9d2f6a1c4e8b7035"
        answer = http.get(
            f"{dev.gateway}/v1/devices/dev_0a1b2c3d4e5f/state", params={"api_key": secret}, headers=dev.auth
        )
        assert answer.status_code == 404, answer.text
        request_id = answer.headers["x-request-id"]

        line = dev.line_with(request_id)
        assert re.fullmatch(rf"INFO: +GET /v1/devices/\{{device_id\}}/state 404 \d+ ms \[{request_id}\]", line), line
        # The banner shows the key and a curl with it; what is logged after it, never.
        logged = dev.text().split(f"Bearer {dev.api_key}", 1)[1]
        assert line in logged
        for never in (secret, "api_key", dev.api_key, "Bearer", "dev_0a1b2c3d4e5f"):
            assert never not in logged


class TestTeslaSide:
    def test_the_app_is_registered_with_the_gateways_callback_and_origin(self, dev: Dev, http: httpx.Client) -> None:
        apps = http.get(f"{dev.sim}/sim/apps").json()["data"]
        assert len(apps) == 1
        assert apps[0]["redirect_uris"] == [f"{dev.gateway}/connect/callback"]
        assert apps[0]["allowed_origins"] == [dev.gateway]

    def test_the_domain_is_registered_in_every_region_with_the_served_key(self, dev: Dev, http: httpx.Client) -> None:
        app = http.get(f"{dev.sim}/sim/apps").json()["data"][0]
        served = public_key_from_text(http.get(f"{dev.gateway}{KEY_PATH}").text)
        domain = dev.gateway.removeprefix("http://")
        for region in ("na", "eu", "cn"):
            partner = http.post(
                f"{dev.sim}/oauth2/v3/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": app["client_id"],
                    "client_secret": app["client_secret"],
                    "audience": f"{dev.sim}/{region}",
                    "scope": "openid",
                },
            )
            assert partner.status_code == 200, partner.text
            registered = http.get(
                f"{dev.sim}/{region}/api/1/partner_accounts/public_key",
                params={"domain": domain},
                headers={"Authorization": f"Bearer {partner.json()['access_token']}"},
            )
            assert registered.status_code == 200, (region, registered.text)
            assert bytes.fromhex(registered.json()["response"]["public_key"]) == served

    def test_user_calls_are_accepted_in_every_region(self, dev: Dev, http: httpx.Client) -> None:
        """No 412 ("must be registered in the current region") for users of na, eu or cn."""
        client_id = http.get(f"{dev.sim}/sim/apps").json()["data"][0]["client_id"]
        accounts = {a["email"]: a for a in http.get(f"{dev.sim}/sim/accounts").json()["data"]}
        users = {"na": accounts[DEMO_EMAIL]}
        for region in ("eu", "cn"):
            created = http.post(
                f"{dev.sim}/sim/accounts", json={"email": f"tester-{region}@example.com", "region": region}
            )
            assert created.status_code == 201, created.text
            users[region] = created.json()
        for region, account in users.items():
            tokens = http.post(
                f"{dev.sim}/sim/tokens",
                json={"client_id": client_id, "account_id": account["id"], "scopes": ALL_USER_SCOPES},
            ).json()
            products = http.get(
                f"{dev.sim}/{region}/api/1/products",
                headers={"Authorization": f"Bearer {tokens['access_token']}"},
            )
            assert products.status_code == 200, (region, products.text)

    def test_the_demo_account_has_a_paired_and_an_unpaired_vehicle_and_an_energy_site(
        self, dev: Dev, http: httpx.Client
    ) -> None:
        accounts = http.get(f"{dev.sim}/sim/accounts").json()["data"]
        demo = next(a for a in accounts if a["email"] == DEMO_EMAIL)
        assert demo["region"] == "na"
        client_id = http.get(f"{dev.sim}/sim/apps").json()["data"][0]["client_id"]
        tokens = http.post(
            f"{dev.sim}/sim/tokens",
            json={"client_id": client_id, "account_id": demo["id"], "scopes": ALL_USER_SCOPES},
        ).json()
        products = http.get(
            f"{dev.sim}/na/api/1/products", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        ).json()["response"]
        assert sorted(p["vin"] for p in products if "vin" in p) == sorted([PAIRED_VIN, UNPAIRED_VIN])
        sites = [p for p in products if "energy_site_id" in p]
        assert len(sites) == 1

        ours = public_key_from_text(http.get(f"{dev.gateway}{KEY_PATH}").text).hex()
        assert ours in vehicle_keys(http, dev.sim, PAIRED_VIN)
        assert ours not in vehicle_keys(http, dev.sim, UNPAIRED_VIN)


def vehicle_keys(http: httpx.Client, sim: str, vin: str) -> list[str]:
    vehicle = http.get(f"{sim}/sim/vehicles/{vin}").json()
    return [str(key["public_key"]).lower() for key in vehicle["keys"]]


class TestConnectFlow:
    def test_a_connect_session_completes_with_the_demo_devices(self, dev: Dev, http: httpx.Client) -> None:
        status = walk_connect_flow(http, dev, "flow-user")
        devices = http.get(
            f"{dev.gateway}/v1/devices", params={"connection_id": status["connection_id"]}, headers=dev.auth
        ).json()["data"]
        vehicles = {d["vin"]: d for d in devices if d["type"] == "vehicle"}
        assert set(vehicles) == {PAIRED_VIN, UNPAIRED_VIN}
        assert vehicles[PAIRED_VIN]["virtual_key"]["paired"] is True
        assert vehicles[UNPAIRED_VIN]["virtual_key"]["paired"] is False
        assert [d["type"] for d in devices].count("energy_site") == 1


class TestRestart:
    def test_the_database_key_and_tesla_identity_survive(self, tmp_path: Path, http: httpx.Client) -> None:
        data_dir = tmp_path / "var"
        with running_dev(data_dir) as first:
            first.wait_until_ready()
            created = http.post(f"{first.gateway}/v1/customers", headers=first.auth, json={"reference_id": "kept"})
            assert created.status_code == 201, created.text
            pem = http.get(f"{first.gateway}{KEY_PATH}").text
            app = http.get(f"{first.sim}/sim/apps").json()["data"][0]
            demo_account = [a["id"] for a in http.get(f"{first.sim}/sim/accounts").json()["data"]]
            connection_id = walk_connect_flow(http, first, "kept")["connection_id"]
            devices = device_ids(http, first, connection_id)
            assert first.stop() == 0
        assert "Stopped" in first.text()

        # Other ports, as after a reboot: the seed follows them, the data dir is the same.
        with running_dev(data_dir) as second:
            second.wait_until_ready()
            assert second.api_key != first.api_key
            assert "a new key for the existing workspace" in second.text()
            for key in (first.api_key, second.api_key):
                customers = http.get(f"{second.gateway}/v1/customers", headers={"Authorization": f"Bearer {key}"})
                assert [c["reference_id"] for c in customers.json()["data"]] == ["kept"]
            assert http.get(f"{second.gateway}{KEY_PATH}").text == pem
            again = http.get(f"{second.sim}/sim/apps").json()["data"][0]
            assert (again["client_id"], again["client_secret"]) == (app["client_id"], app["client_secret"])
            assert again["redirect_uris"] == [f"{second.gateway}/connect/callback"]
            # The re-seeded simulator has the same account, so stored connections still name a known Tesla user.
            assert [a["id"] for a in http.get(f"{second.sim}/sim/accounts").json()["data"]] == demo_account
            kept = http.get(f"{second.gateway}/v1/connections/{connection_id}", headers=second.auth)
            assert kept.status_code == 200, kept.text

            # Its tokens were minted by the simulator that stopped: the connection asks for a reconnect, and
            # reconnecting the same demo account brings back the same connection and the same device ids.
            sync = http.post(f"{second.gateway}/v1/connections/{connection_id}/sync", headers=second.auth)
            assert sync.status_code == 409, sync.text
            assert sync.json()["error"]["code"] == "needs_reconnect"
            reconnect = http.post(f"{second.gateway}/v1/connections/{connection_id}/reconnect", headers=second.auth)
            assert reconnect.status_code == 201, reconnect.text
            assert follow_consent(http, second, reconnect.json())["connection_id"] == connection_id
            connection = http.get(f"{second.gateway}/v1/connections/{connection_id}", headers=second.auth).json()
            assert connection["status"] == "active"
            assert device_ids(http, second, connection_id) == devices


class TestStartFailures:
    def test_a_port_in_use_is_a_one_line_error(self, tmp_path: Path) -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            with running_dev(tmp_path / "var", port=port) as dev:
                assert dev.process.wait(timeout=START_DEADLINE_SECONDS) == 1
        assert f"cannot listen on 127.0.0.1:{port} for the gateway" in dev.text()
        assert "Traceback" not in dev.text()

    def test_a_telemetry_port_in_use_is_a_one_line_error(self, tmp_path: Path) -> None:
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            with running_dev(tmp_path / "var", telemetry_port=port) as dev:
                assert dev.process.wait(timeout=START_DEADLINE_SECONDS) == 1
        assert f"cannot listen on 127.0.0.1:{port} for the telemetry receiver" in dev.text()
        assert "Traceback" not in dev.text()


def status_without_a_car_certificate(port: int, dev_ca: Path) -> bytes:
    trusted = ssl.create_default_context(cafile=dev_ca)
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        trusted.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(b"GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        answer = tls.recv(100)
        if not answer:
            raise ConnectionError("closed without an answer")
        return answer


def vehicle_data_calls(http: httpx.Client, dev: Dev) -> int:
    client_id = http.get(f"{dev.sim}/sim/apps").json()["data"][0]["client_id"]
    endpoints = http.get(f"{dev.sim}/sim/usage").json()["endpoints"].get(client_id, {})
    return sum(count for endpoint, count in endpoints.items() if endpoint.endswith("/vehicle_data"))


class TestTelemetry:
    def test_the_receiver_shows_the_dev_certificate_and_wants_a_car_certificate(self, dev: Dev) -> None:
        port = urlsplit(dev.telemetry).port
        assert port is not None
        # The server's certificate verifies against the dev CA for 127.0.0.1; without a car's certificate the
        # handshake, or the first read after it in TLS 1.3, fails.
        with pytest.raises((ssl.SSLError, ConnectionError)) as refused:
            status_without_a_car_certificate(port, dev.data_dir / "telemetry" / "dev-ca.pem")
        assert not isinstance(refused.value, ssl.SSLCertVerificationError), refused.value

    async def test_a_config_set_through_the_api_makes_the_model_3_stream_its_state(
        self, dev: Dev, http: httpx.Client
    ) -> None:
        connection_id = walk_connect_flow(http, dev, "telemetry-user")["connection_id"]
        devices = http.get(f"{dev.gateway}/v1/devices", params={"connection_id": connection_id}, headers=dev.auth)
        car = next(device for device in devices.json()["data"] if device.get("vin") == PAIRED_VIN)
        polled_before = vehicle_data_calls(http, dev)

        configured = http.put(
            f"{dev.gateway}/v1/devices/{car['id']}/telemetry",
            headers=dev.auth,
            json={"fields": ["battery_level_pct", "charging_state", "location"], "interval_seconds": 60},
        )
        assert configured.status_code == 200, configured.text
        assert configured.json()["estimate"]

        def streamed() -> bool:
            streams = http.get(f"{dev.sim}/sim/telemetry/streams").json()["data"]
            return any(
                stream["vin"] == PAIRED_VIN
                and stream["receiver"] == f"127.0.0.1:{urlsplit(dev.telemetry).port}"
                and stream["acked"] > 0
                for stream in streams
            )

        await eventually(streamed, what="the Model 3's first record acked by the receiver")
        state = http.get(f"{dev.gateway}/v1/devices/{car['id']}/state", params={"max_age": 3600}, headers=dev.auth)
        assert state.status_code == 200, state.text
        body = state.json()
        assert body["source"] == "telemetry", body
        assert {"battery_level_pct", "charging_state", "location"} <= set(body["field_times"])
        assert body["data"]["battery_level_pct"] is not None
        assert vehicle_data_calls(http, dev) == polled_before
        usage = http.get(f"{dev.gateway}/v1/usage", headers=dev.auth).json()
        assert usage["totals"]["streaming_signals"] >= 3
