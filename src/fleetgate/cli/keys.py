"""The app's secrets: the P-256 key pair of the Vehicle Command Protocol, the key tokens are encrypted with."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from typing import Annotated

import typer

from fleetgate.cli.errors import CliError

keys_app = typer.Typer(help="The P-256 key pair of the Vehicle Command Protocol.", no_args_is_help=True)


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
        raise CliError(f"{exc} (use --force to replace it)") from exc
    typer.echo(f"Private key written to {path} (mode 600). Keep it secret and backed up.")
    typer.echo(f"Public key, to serve at https://<your domain>{PUBLIC_KEY_PATH}:")
    typer.echo(public_key_pem(key).decode(), nl=False)


@keys_app.command("encryption-key")
def keys_encryption_key() -> None:
    """Print a new FLEETGATE_ENCRYPTION_KEY: 32 random bytes, base64."""
    typer.echo(base64.b64encode(secrets.token_bytes(32)).decode())
