"""The `fleetgate` command line."""

from __future__ import annotations

import typer
import uvicorn

app = typer.Typer(help="fleetgate: a self-hostable gateway to Tesla's Fleet API.", no_args_is_help=True)


@app.callback()
def main() -> None:
    """fleetgate: a self-hostable gateway to Tesla's Fleet API."""


@app.command()
def simulator(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8765, help="Port to listen on."),
    seed: int = typer.Option(0, help="Seed for ids, VINs and vehicle keys."),
    demo: bool = typer.Option(True, help="Seed a demo account, app and vehicles."),
) -> None:
    """Run the Tesla simulator alone: auth server, Fleet API in na/eu/cn, pairing links, control API."""
    from fleetgate.simulator.app import create_simulator_app
    from fleetgate.simulator.demo import seed_demo_world

    sim = create_simulator_app(seed=seed)
    base = f"http://{host}:{port}"
    if demo:
        summary = seed_demo_world(sim.state.world)
        for line in summary:
            typer.echo(line)
    typer.echo(f"Simulator: {base}")
    typer.echo(f"Fleet API: {base}/na/api/1 (also /eu, /cn)  Control API: {base}/sim/docs")
    uvicorn.run(sim, host=host, port=port, log_level="warning")
