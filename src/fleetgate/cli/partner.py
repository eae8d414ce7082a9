"""The app's registration with Tesla, region by region."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from fleetgate.cli.errors import CliError

partner_app = typer.Typer(help="The app's registration with Tesla.", no_args_is_help=True)


@partner_app.command("register")
def partner_register(
    region: Annotated[str, typer.Option(help="na, eu or cn.")],
    domain: Annotated[str | None, typer.Option(help="The app's domain (default: FLEETGATE_DOMAIN).")] = None,
) -> None:
    """Get a partner token and register the app's domain (and so its public key) with Tesla in a region."""
    import httpx

    from fleetgate.config import Settings
    from fleetgate.infra.app_key import configured_app_key
    from fleetgate.tesla.endpoints import REGION_BY_NAME
    from fleetgate.tesla.errors import TeslaError
    from fleetgate.tesla.keys import KeyUnavailable
    from fleetgate.tesla.partner import register_domain

    settings = Settings()
    chosen = REGION_BY_NAME.get(region.lower())
    target = domain or settings.domain
    if chosen is None:
        raise CliError(f"Unknown region {region!r}: use na, eu or cn.", exit_code=2)
    if not target or not settings.client_id or not settings.client_secret.get_secret_value():
        raise CliError(
            "Set FLEETGATE_CLIENT_ID, FLEETGATE_CLIENT_SECRET and FLEETGATE_DOMAIN (or --domain).", exit_code=2
        )
    try:
        key = configured_app_key(settings)
    except KeyUnavailable as exc:
        raise CliError(str(exc)) from exc

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
        typer.echo(f"Registered {registration.domain} in {registration.region}.")
        typer.echo(f"Tesla holds public key {registration.public_key_hex}")

    try:
        asyncio.run(run())
    except TeslaError as exc:
        raise CliError(f"Tesla refused the registration: {exc.reason}") from exc
