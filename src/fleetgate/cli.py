"""The `fleetgate` command line."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import httpx
import typer
import uvicorn
from rich.console import Console

app = typer.Typer(help="fleetgate: a self-hostable gateway to Tesla's Fleet API.", no_args_is_help=True)
keys_app = typer.Typer(help="The P-256 key pair of the Vehicle Command Protocol.", no_args_is_help=True)
partner_app = typer.Typer(help="The app's registration with Tesla.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(partner_app, name="partner")
console = Console()


@app.callback()
def main() -> None:
    """fleetgate: a self-hostable gateway to Tesla's Fleet API."""


@app.command()
def simulator(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8765,
    seed: Annotated[int, typer.Option(help="Seed for ids, VINs and vehicle keys.")] = 0,
    demo: Annotated[bool, typer.Option(help="Seed a demo account, app and vehicles.")] = True,
) -> None:
    """Run the Tesla simulator alone: auth server, Fleet API in na/eu/cn, pairing links, control API."""
    from fleetgate.simulator.app import create_simulator_app
    from fleetgate.simulator.demo import seed_demo_world

    sim = create_simulator_app(seed=seed)
    base = f"http://{host}:{port}"
    if demo:
        for line in seed_demo_world(sim.state.world):
            typer.echo(line)
    typer.echo(f"Simulator: {base}")
    typer.echo(f"Fleet API: {base}/na/api/1 (also /eu, /cn)  Control API: {base}/sim/docs")
    uvicorn.run(sim, host=host, port=port, log_level="warning")


@keys_app.command("generate")
def keys_generate(
    out: Annotated[Path | None, typer.Option(help="Where to write the private key (default: settings).")] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing key; paired vehicles will reject it.")] = False,
) -> None:
    """Create the app's P-256 key pair; prints the public key to host at the .well-known path."""
    from fleetgate.config import Settings
    from fleetgate.protocol.keys import public_key_pem
    from fleetgate.tesla.keys import PUBLIC_KEY_PATH, write_new_key

    path = out or Settings().private_key_path
    try:
        key = write_new_key(path, overwrite=force)
    except FileExistsError as exc:
        console.print(f"[red]{exc}[/red] (use --force to replace it)")
        raise typer.Exit(1) from exc
    console.print(f"Private key written to [bold]{path}[/bold] (mode 600). Keep it secret and backed up.")
    console.print(f"Public key, to serve at https://<your domain>{PUBLIC_KEY_PATH}:")
    typer.echo(public_key_pem(key).decode(), nl=False)


@partner_app.command("register")
def partner_register(
    region: Annotated[str, typer.Option(help="na, eu or cn.")],
    domain: Annotated[str | None, typer.Option(help="The app's domain (default: FLEETGATE_DOMAIN).")] = None,
) -> None:
    """Get a partner token and register the app's domain (and so its public key) with Tesla in a region."""
    from fleetgate.config import Settings
    from fleetgate.tesla.endpoints import REGION_BY_NAME
    from fleetgate.tesla.errors import TeslaError
    from fleetgate.tesla.keys import KeyUnavailable, load_app_key
    from fleetgate.tesla.partner import register_domain

    settings = Settings()
    chosen = REGION_BY_NAME.get(region.lower())
    target = domain or settings.domain
    if chosen is None:
        console.print(f"[red]Unknown region {region!r}[/red]: use na, eu or cn.")
        raise typer.Exit(2)
    if not target or not settings.client_id:
        console.print("[red]Set FLEETGATE_CLIENT_ID, FLEETGATE_CLIENT_SECRET and FLEETGATE_DOMAIN (or --domain).[/red]")
        raise typer.Exit(2)
    try:
        key = load_app_key(
            pem=settings.private_key_pem.get_secret_value() if settings.private_key_pem else None,
            path=settings.private_key_path,
        )
    except KeyUnavailable as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc

    async def run() -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            registration = await register_domain(
                http,
                settings.tesla_endpoints(),
                client_id=settings.client_id,
                client_secret=settings.client_secret.get_secret_value(),
                region=chosen,
                domain=target,
                key=key,
            )
        console.print(f"Registered [bold]{registration.domain}[/bold] in {registration.region}.")
        console.print(f"Tesla holds public key {registration.public_key_hex}")

    try:
        asyncio.run(run())
    except TeslaError as exc:
        console.print(f"[red]Tesla refused the registration:[/red] {exc.reason}")
        raise typer.Exit(1) from exc
