"""Fleetgate with the Tesla simulator, on this machine: the simulator alone, the dev servers, the demo."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from fleetgate.cli.errors import CliError
from fleetgate.cli.output import console, notes


def simulator(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    seed: Annotated[int, typer.Option(help="Seed for ids, VINs and vehicle keys.")] = 0,
    demo: Annotated[bool, typer.Option(help="Seed a demo account, app and vehicles.")] = True,
) -> None:
    """Run the Tesla simulator alone: auth server, Fleet API in na/eu/cn, pairing links, control API."""
    import uvicorn

    from fleetgate.simulator.app import create_simulator_app
    from fleetgate.simulator.demo import seed_demo_world

    sim = create_simulator_app(seed=seed, stream_telemetry=True)
    base = f"http://{host}:{port}"
    if demo:
        for line in seed_demo_world(sim.state.world):
            typer.echo(line)
    typer.echo(f"Simulator: {base}")
    typer.echo(f"Fleet API: {base}/na/api/1 (also /eu, /cn)  Control API: {base}/sim/docs")
    uvicorn.run(sim, host=host, port=port, log_level="warning")


def dev(
    host: Annotated[str, typer.Option(help="Interface both servers listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The gateway's port.")] = 8080,
    sim_port: Annotated[int | None, typer.Option(help="The simulator's port (default: --port + 1).")] = None,
    telemetry_port: Annotated[
        int | None, typer.Option(help="The Fleet Telemetry receiver's port (default: --port + 2).")
    ] = None,
    data_dir: Annotated[Path, typer.Option(help="Database, app key and Tesla app identity, kept across runs.")] = Path(
        "var"
    ),
) -> None:
    """Run the gateway with the Tesla simulator and SQLite, seeded and ready to click through."""
    from fleetgate.devtools.devserver.errors import DevError
    from fleetgate.devtools.devserver.runner import DevOptions, run_dev

    options = DevOptions(host=host, port=port, sim_port=sim_port, telemetry_port=telemetry_port, data_dir=data_dir)
    try:
        asyncio.run(run_dev(options, typer.echo))
    except DevError as exc:
        raise CliError(str(exc)) from exc
    except KeyboardInterrupt:  # before the servers handle Ctrl-C themselves
        raise typer.Exit(130) from None


def demo() -> None:
    """Walk the seeded story against the embedded simulator, printed as it goes; exits non-zero if a step fails."""
    from fleetgate.devtools.demo.api import DemoError
    from fleetgate.devtools.demo.run import run_demo
    from fleetgate.devtools.devserver.errors import DevError

    try:
        told = asyncio.run(run_demo(console))
    except (DemoError, DevError) as exc:
        raise CliError(f"the demo stopped: {exc}") from exc
    except KeyboardInterrupt:  # before the servers handle Ctrl-C themselves
        raise typer.Exit(130) from None
    if not told:  # Ctrl-C during the story
        notes.print("Interrupted before the end of the story.")
        raise typer.Exit(130)
