"""`fleetgate demo` as a user runs it: a real process that starts both servers on free ports, walks the story over
real HTTP, checks each step, and exits 0 only if every step went as told."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.live

# A deadline against a hang only: the demo polls with its own generous deadlines and takes far less.
DEMO_DEADLINE_SECONDS = 600
UNPAIRED_VIN = "7SAYGDEE9PA000002"


def in_order(text: str, expected: list[str]) -> None:
    position = 0
    for line in expected:
        found = text.find(line, position)
        assert found >= 0, f"{line!r} missing after position {position} in:\n{text}"
        position = found + len(line)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    home = tmp_path_factory.mktemp("demo")
    finished = subprocess.run(
        [sys.executable, "-m", "fleetgate", "demo"],
        capture_output=True,
        text=True,
        timeout=DEMO_DEADLINE_SECONDS,
        # Away from the repository, so no `.env` there changes the settings; its temporary data directory here.
        cwd=home,
        env={**os.environ, "TMPDIR": str(home), "COLUMNS": "200", "PYTHONUNBUFFERED": "1"},
    )
    return finished, home


class TestDemo:
    def test_exits_0_having_told_the_whole_story(self, demo: tuple[subprocess.CompletedProcess[str], Path]) -> None:
        finished, _ = demo
        assert finished.returncode == 0, f"{finished.stdout}\n{finished.stderr}"
        assert "Traceback" not in finished.stdout + finished.stderr
        in_order(
            finished.stdout,
            [
                "Step 1. Register a webhook endpoint",
                "→ POST /v1/webhook-endpoints",
                "← 201 Created",
                "Step 2. Connect the Tesla account, leaving vehicle_cmds unticked",
                "end user › signs in as driver@example.com, leaves vehicle_cmds unticked",
                'missing_access: ["vehicle_commands"]',
                "remedy: reconnect from the backend (POST): http://127.0.0.1:",
                "reason: missing_scope",
                "Step 3. Reconnect and grant everything",
                "with prompt_missing_scopes=true",
                "missing_access: none",
                "✓ access complete: nothing missing",
                "Step 4. Read the Model 3 and the Powerwall",
                "source: live",
                "battery_level_pct:",
                "source: cache",
                "backup_reserve_pct:",
                "Step 5. door_lock on the Model Y",
                "← 409 Conflict",
                "error: virtual_key_not_paired",
                f"(VIN {UNPAIRED_VIN})",
                "remedy: pairing link: http://127.0.0.1:",
                f"?vin={UNPAIRED_VIN}",
                "remedy: then ask Tesla again (POST): /v1/devices/",
                '"if_key_missing": "try"',
                "commands queued: 0",
                'billed calls since: {"data": 0, "commands": 0, "wakes": 0}',
                "virtual_key.paired: no",
                "✓ refused before queueing: nothing sent, nothing woken, nothing billed",
                "Step 6. The owner approves the key, and door_lock goes through",
                "owner › approves the app's key: Virtual key added",
                "/virtual-key/check",
                "virtual_key.paired: yes",
                "✓ door_lock succeeded",
                "Step 7. Set the Powerwall's backup reserve to 30%",
                "✓ set_backup_reserve succeeded",
                "backup_reserve_pct: 30",
                "✓ backup reserve is now 30%",
                "Step 8. Stream the Model 3 with Fleet Telemetry instead of polling it",
                "→ PUT /v1/devices/",
                "receiver: 127.0.0.1:",
                "Estimated cost, a typical day",
                "polling every 60 s",
                "source: telemetry",
                "✓ the state comes from the car's stream: no vehicle_data call for it",
                "streaming_signals:",
                "Step 9. Charge the Model 3 on weeknights, 23:00 to 06:00, where it is parked",
                "statuses:",
                "days: monday, tuesday, wednesday, thursday, friday",
                "from: 23:00",
                "to: 06:00",
                "✓ the car holds schedule 1",
                "Step 10. Yesterday's energy flows of the Powerwall",
                "closed: yes",
                "solar (kWh):",
                "source: cache",
                "data calls billed for both reads: 1",
                "✓ one billed read for a day that no longer changes",
                "Step 11. Webhook deliveries and usage",
                "✓ ",
                "events delivered and verified",
                "Tesla calls by billing category",
                "✓ The demo went as told",
            ],
        )

    def test_shows_the_capabilities_before_and_after_the_reconnect(
        self, demo: tuple[subprocess.CompletedProcess[str], Path]
    ) -> None:
        out = demo[0].stdout
        assert re.search(r"capability\s+┃ Demo Model 3\s+┃ Demo Model Y\s+┃ Demo Home", out), out
        commands = re.findall(r"^commands\s+│ (.+?)\s+│ (.+?)\s+│", out, re.MULTILINE)
        # Without vehicle_cmds neither car may take commands; after the reconnect the Model Y still lacks the key.
        assert commands == [
            ("no: missing_scope", "no: missing_scope"),
            ("yes", "no: virtual_key_not_paired"),
        ], out

    def test_every_event_reached_the_receiver_verified_and_usage_is_billed(
        self, demo: tuple[subprocess.CompletedProcess[str], Path]
    ) -> None:
        out = demo[0].stdout
        verified = re.search(r"Verified by the receiver \((\d+) deliveries\)", out)
        delivered = re.search(r"✓ (\d+) events delivered and verified", out)
        assert verified, out
        assert delivered, out
        assert verified.group(1) == delivered.group(1)
        for event in ("connection.created", "connection.updated", "device.discovered"):
            assert re.search(rf"^{re.escape(event)}\s+│ succeeded │ 1\s+│ 200\s*$", out, re.MULTILINE), (event, out)
        # The door_lock refused for the key was never queued: no command ended failed.
        assert not re.search(r"^command\.failed\s", out, re.MULTILINE), out
        assert re.search(r"^virtual_key\.paired\s+│ succeeded", out, re.MULTILINE), out
        assert len(re.findall(r"^command\.succeeded\s+│ succeeded", out, re.MULTILINE)) == 3, out
        usage = {name: int(calls) for name, calls in re.findall(r"^(data|commands|wakes)\s+│ (\d+)\s+│", out, re.M)}
        assert usage["data"] > 0, usage
        # door_lock once paired, set_backup_reserve and add_charge_schedule reached Tesla
        assert usage["commands"] >= 3, usage
        assert usage["wakes"] == 1, usage  # the sleeping Model Y, woken once by the door_lock that went through

    def test_leaves_no_data_behind(self, demo: tuple[subprocess.CompletedProcess[str], Path]) -> None:
        finished, home = demo
        data_dir = re.search(r"\(data in (\S+)\)", finished.stdout)
        assert data_dir, finished.stdout
        assert Path(data_dir.group(1)).parent == home
        assert not Path(data_dir.group(1)).exists()
        assert not list(home.glob("fleetgate-demo-*"))
