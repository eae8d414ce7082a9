"""Running the demo: `fleetgate dev`'s two servers on free ports with a fresh data directory, the story, then stop."""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx
from rich.console import Console

from fleetgate.devtools.demo.api import Gateway
from fleetgate.devtools.demo.context import Demo
from fleetgate.devtools.demo.narrator import Narrator
from fleetgate.devtools.demo.receiver import running_receiver
from fleetgate.devtools.demo.story import tell
from fleetgate.devtools.devserver.banner import DevReady
from fleetgate.devtools.devserver.runner import DevOptions, run_dev

HOST = "127.0.0.1"
HTTP_TIMEOUT_SECONDS = 30.0


async def run_demo(console: Console) -> bool:
    """True once the story has been told to the end; False when Ctrl-C stopped it. A step that goes otherwise than
    told raises `DemoError`."""
    say = Narrator(console)
    told = False

    async def on_ready(ready: DevReady) -> None:
        nonlocal told
        say.line(f"Gateway: {ready.gateway_url}   Tesla simulator: {ready.simulator_url}", "bold")
        vehicles = ", ".join(
            f"{vehicle.model} {vehicle.vin} ({'key paired' if vehicle.paired else 'key not paired'})"
            for vehicle in ready.account.vehicles
        )
        say.note(f"Tesla account {ready.account.email}: {vehicles}, Powerwall site {ready.account.energy_site_id}")
        say.note(f"workspace {ready.workspace.name!r} with a new API key; the application below uses only its API")
        # Loopback only: proxies from the environment must not apply.
        async with (
            running_receiver(HOST) as receiver,
            httpx.AsyncClient(base_url=ready.gateway_url, timeout=HTTP_TIMEOUT_SECONDS, trust_env=False) as api,
            httpx.AsyncClient(base_url=ready.gateway_url, timeout=HTTP_TIMEOUT_SECONDS, trust_env=False) as browser,
        ):
            demo = Demo(
                gateway=Gateway(api, ready.workspace.api_key, say),
                browser=browser,
                say=say,
                receiver=receiver,
                account=ready.account,
            )
            await tell(demo)
        console.print()
        say.ok("The demo went as told: every step checked.")
        told = True

    say.line("fleetgate demo: the seeded story, walked over HTTP as an application and its users would", "bold")
    with tempfile.TemporaryDirectory(prefix="fleetgate-demo-") as data_dir:
        options = DevOptions(host=HOST, port=0, sim_port=0, data_dir=Path(data_dir))
        await run_dev(options, say.note, on_ready)
    return told
