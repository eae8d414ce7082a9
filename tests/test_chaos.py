"""The chaos bench's short form: a few seeded fault schedules against two API processes and two workers on
PostgreSQL (`bench/chaos.py`: kills, Tesla's failures, lost answers, clock jumps, dropped database connections).
Every command ends, none is lost, doubled or run out of order, and the usage ledger holds every billed call."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.databases import postgres_admin_url

pytestmark = pytest.mark.live
BENCH = Path(__file__).parent.parent / "bench" / "chaos.py"


def test_seeded_fault_schedules_lose_double_and_reorder_nothing(tmp_path: Path) -> None:
    admin_url = postgres_admin_url()
    assert admin_url is not None
    arguments = ["--schedules", "6", "--seed", "11", "--cars", "12", "--concurrency", "3", "--logs", str(tmp_path)]
    run = subprocess.run(
        [sys.executable, str(BENCH), *arguments, "--postgres-url", admin_url],
        capture_output=True,
        text=True,
        timeout=900,
    )
    results = dict(re.findall(r"^RESULT (\w+)=(\S+)$", run.stdout, re.MULTILINE))
    assert run.returncode == 0, run.stdout + run.stderr
    assert results["schedules"] == "6"
    assert int(results["commands"]) == 6 * 3 * 5
    for name in ("lost", "doubled", "out_of_order", "ledger_mismatch"):
        assert results[name] == "0", run.stdout
    injected = re.search(r"^faults: (.*)$", run.stdout, re.MULTILINE)
    assert injected is not None
    # One fault at least in every schedule, drawn from the seed.
    assert sum(int(count) for count in re.findall(r"\w+ (\d+)", injected.group(1))) >= 6
