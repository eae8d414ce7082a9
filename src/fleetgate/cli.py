"""The `fleetgate` command line."""

from __future__ import annotations

import asyncio
import base64
import logging
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import httpx
import typer
import uvicorn
from rich.console import Console
from rich.markup import escape

from fleetgate.infra.logs import uvicorn_log_config

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

    from fleetgate.config import Settings
    from fleetgate.infra.models import Workspace

app = typer.Typer(help="fleetgate: a self-hostable gateway to Tesla's Fleet API.", no_args_is_help=True)
keys_app = typer.Typer(help="The P-256 key pair of the Vehicle Command Protocol.", no_args_is_help=True)
partner_app = typer.Typer(help="The app's registration with Tesla.", no_args_is_help=True)
workspace_app = typer.Typer(help="Workspaces: the developers' tenants.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys of a workspace.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(partner_app, name="partner")
app.add_typer(workspace_app, name="workspace")
app.add_typer(apikey_app, name="apikey")
console = Console()
# Messages go to stderr so that stdout carries only what a script captures (an id, a key).
notes = Console(stderr=True, highlight=False, soft_wrap=True)
T = TypeVar("T")


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
        typer.echo(f"{exc} (use --force to replace it)", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Private key written to {path} (mode 600). Keep it secret and backed up.")
    typer.echo(f"Public key, to serve at https://<your domain>{PUBLIC_KEY_PATH}:")
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
        typer.echo(f"Unknown region {region!r}: use na, eu or cn.", err=True)
        raise typer.Exit(2)
    if not target or not settings.client_id or not settings.client_secret.get_secret_value():
        typer.echo("Set FLEETGATE_CLIENT_ID, FLEETGATE_CLIENT_SECRET and FLEETGATE_DOMAIN (or --domain).", err=True)
        raise typer.Exit(2)
    try:
        key = load_app_key(
            pem=settings.private_key_pem.get_secret_value() if settings.private_key_pem else None,
            path=settings.private_key_path,
        )
    except KeyUnavailable as exc:
        typer.echo(str(exc), err=True)
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
        typer.echo(f"Registered {registration.domain} in {registration.region}.")
        typer.echo(f"Tesla holds public key {registration.public_key_hex}")

    try:
        asyncio.run(run())
    except TeslaError as exc:
        typer.echo(f"Tesla refused the registration: {exc.reason}", err=True)
        raise typer.Exit(1) from exc


class CliError(Exception):
    """A one-line reason the command cannot do its job."""


def fail(message: str, code: int = 1) -> NoReturn:
    notes.print(f"[red]Error:[/red] {escape(message)}")
    raise typer.Exit(code)


def load_settings() -> Settings:
    from pydantic import ValidationError

    from fleetgate.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = "_".join(str(part) for part in error["loc"]).upper()
            problems.append(f"FLEETGATE_{field}: {error['msg']}" if field else str(error["msg"]))
        fail(f"invalid settings: {'; '.join(problems)}")


def shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def on_database(url: str, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """Runs `work` on an engine for `url`, turning database failures into one-line errors."""
    from alembic.util import CommandError
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError, InvalidRequestError, OperationalError, ProgrammingError

    from fleetgate.infra.db.engine import create_engine, is_sqlite

    shown = shown_url(url)

    async def run() -> T:
        if is_sqlite(url) and make_url(url).database not in (None, "", ":memory:"):
            # SQLite creates the file but not its folder.
            Path(str(make_url(url).database)).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        try:
            return await work(engine)
        finally:
            await engine.dispose()

    try:
        return asyncio.run(run())
    except CliError as exc:
        fail(str(exc))
    except (ArgumentError, InvalidRequestError, ImportError) as exc:
        fail(
            f"FLEETGATE_DATABASE_URL {shown} is not usable ({exc}); use sqlite+aiosqlite:///path/to/file.db "
            "or postgresql+psycopg://user:password@host/database"
        )
    except ProgrammingError as exc:
        fail(f"{shown}: {first_line(exc.orig)}; has the schema been created? Run `fleetgate migrate` first")
    except OperationalError as exc:
        fail(f"cannot use the database {shown}: {first_line(exc.orig)}")
    except DBAPIError as exc:
        fail(f"database error on {shown}: {first_line(exc.orig)}")
    except CommandError as exc:
        fail(f"migrating {shown} failed: {exc}")


def first_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error is not None and str(error).strip() else repr(error)


def in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """One committed transaction on the configured database; a SQLite file gets its schema on first use, as
    `fleetgate serve` would give it (PostgreSQL is migrated explicitly, with `fleetgate migrate`)."""
    from fleetgate.infra.db.engine import create_sessionmaker, is_sqlite
    from fleetgate.infra.db.migrate import upgrade

    async def run(engine: AsyncEngine) -> T:
        if is_sqlite(settings.database_url):
            await upgrade(engine)
        async with create_sessionmaker(engine)() as session, session.begin():
            return await work(session)

    return on_database(settings.database_url, run)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
) -> None:
    """Run the API server, configured by FLEETGATE_* settings (environment or .env)."""
    from fleetgate.config import SettingsError
    from fleetgate.infra.runtime import encryption_key

    settings = load_settings()
    try:
        encryption_key(settings)
    except SettingsError as exc:
        fail(str(exc))
    if settings.mode == "dev":
        notes.print("[yellow]Dev mode:[/yellow] tokens are encrypted with a fixed, public key. Not for real users.")
    uvicorn.run("fleetgate.app:create_app", factory=True, host=host, port=port, log_config=uvicorn_log_config())


@app.command()
def worker(
    concurrency: Annotated[
        int | None, typer.Option(help="Commands run at once by this worker (default FLEETGATE_COMMAND_CONCURRENCY).")
    ] = None,
    metrics_port: Annotated[
        int | None, typer.Option(help="Serve this worker's Prometheus metrics on this port (at /metrics).")
    ] = None,
    metrics_host: Annotated[str, typer.Option(help="Interface for --metrics-port.")] = "127.0.0.1",
) -> None:
    """Run commands from the job queue on PostgreSQL, beside other workers (FLEETGATE_COMMAND_EXECUTOR=worker)."""
    from fleetgate.jobs.engine import JobEngineUnavailable, conninfo
    from fleetgate.jobs.worker import run_worker

    settings = load_settings()
    try:
        conninfo(settings.database_url)
    except JobEngineUnavailable as exc:
        fail(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # procrastinate logs every job's start and end at INFO; the commands table is the record of those.
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    address = (metrics_host, metrics_port) if metrics_port is not None else None
    asyncio.run(run_worker(settings, concurrency=concurrency, metrics_address=address))


@app.command()
def migrate() -> None:
    """Apply the database migrations to FLEETGATE_DATABASE_URL (a SQLite file or PostgreSQL); on PostgreSQL, also
    the job queue's tables."""
    from fleetgate.infra.db.engine import is_sqlite
    from fleetgate.infra.db.migrate import upgrade
    from fleetgate.jobs.engine import job_app

    settings = load_settings()
    on_database(settings.database_url, upgrade)
    if not is_sqlite(settings.database_url):

        async def queue_tables() -> None:
            async with job_app(settings.database_url):
                pass

        asyncio.run(queue_tables())
    notes.print(f"The database {escape(shown_url(settings.database_url))} has the latest schema.")


@workspace_app.command("create")
def workspace_create(name: Annotated[str, typer.Argument(help="A name for the workspace.")]) -> None:
    """Create a workspace on the configured database; prints its id."""
    from fleetgate.features.workspaces.service import create_workspace

    name = name.strip()
    if not name or len(name) > 200:
        fail("a workspace name needs 1 to 200 characters")

    async def work(session: AsyncSession) -> str:
        return (await create_workspace(session, name)).id

    workspace_id = in_transaction(load_settings(), work)
    typer.echo(workspace_id)
    notes.print(f"Created workspace {escape(repr(name))}. Next: fleetgate apikey create --workspace {workspace_id}")


@workspace_app.command("list")
def workspace_list() -> None:
    """List the workspaces: id, name, creation time."""
    from sqlalchemy import select

    from fleetgate.infra.models import Workspace

    async def work(session: AsyncSession) -> list[tuple[str, str, str]]:
        rows = await session.scalars(select(Workspace).order_by(Workspace.created_at, Workspace.id))
        return [(row.id, row.name, row.created_at.isoformat(timespec="seconds")) for row in rows]

    for workspace_id, name, created_at in in_transaction(load_settings(), work):
        typer.echo(f"{workspace_id}\t{name}\t{created_at}")


async def find_workspace(session: AsyncSession, wanted: str) -> Workspace:
    """By id, or by name when exactly one workspace has it."""
    from sqlalchemy import select

    from fleetgate.infra.models import Workspace

    workspace = await session.get(Workspace, wanted)
    if workspace is not None:
        return workspace
    named = list(await session.scalars(select(Workspace).where(Workspace.name == wanted)))
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(sorted(w.id for w in named))
        raise CliError(f"{len(named)} workspaces are named {wanted!r} ({ids}); pass the id instead")
    raise CliError(
        f"no workspace {wanted!r} in this database; `fleetgate workspace list` shows them, "
        "`fleetgate workspace create NAME` makes one"
    )


@apikey_app.command("create")
def apikey_create(
    workspace: Annotated[str, typer.Option(help="The workspace's id (or its name, when no other has it).")],
    name: Annotated[str, typer.Option(help="A label to tell keys apart.")] = "",
) -> None:
    """Create an API key for a workspace; prints the key, the only time it is shown."""
    from fleetgate.features.workspaces.service import create_api_key

    if len(name) > 200:
        fail("a key name has at most 200 characters")

    async def work(session: AsyncSession) -> tuple[str, str]:
        found = await find_workspace(session, workspace)
        _, fresh = await create_api_key(session, found.id, name)
        return found.id, fresh.key

    workspace_id, key = in_transaction(load_settings(), work)
    typer.echo(key)
    notes.print(
        f"API key for workspace {workspace_id}, shown once: fleetgate stores only its hash. "
        "Send it as `Authorization: Bearer <key>`."
    )


@keys_app.command("encryption-key")
def keys_encryption_key() -> None:
    """Print a new FLEETGATE_ENCRYPTION_KEY: 32 random bytes, base64."""
    typer.echo(base64.b64encode(secrets.token_bytes(32)).decode())


@app.command()
def dev(
    host: Annotated[str, typer.Option(help="Interface both servers listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The gateway's port.")] = 8080,
    sim_port: Annotated[int | None, typer.Option(help="The simulator's port (default: --port + 1).")] = None,
    data_dir: Annotated[Path, typer.Option(help="Database, app key and Tesla app identity, kept across runs.")] = Path(
        "var"
    ),
) -> None:
    """Run the gateway with the Tesla simulator and SQLite, seeded and ready to click through."""
    from pydantic import ValidationError

    from fleetgate.devtools.devserver.errors import DevError
    from fleetgate.devtools.devserver.runner import DevOptions, run_dev

    options = DevOptions(host=host, port=port, sim_port=sim_port, data_dir=data_dir)
    try:
        asyncio.run(run_dev(options, typer.echo))
    except DevError as exc:
        fail(str(exc))
    except ValidationError as exc:
        fail(f"invalid settings: {exc.errors()[0]['msg']}")
    except KeyboardInterrupt:  # before the servers handle Ctrl-C themselves
        raise typer.Exit(130) from None


@app.command()
def demo() -> None:
    """Walk the seeded story against the embedded simulator, printed as it goes; exits non-zero if a step fails."""
    from pydantic import ValidationError

    from fleetgate.devtools.demo.api import DemoError
    from fleetgate.devtools.demo.run import run_demo
    from fleetgate.devtools.devserver.errors import DevError

    try:
        told = asyncio.run(run_demo(console))
    except (DemoError, DevError) as exc:
        fail(f"the demo stopped: {exc}")
    except ValidationError as exc:
        fail(f"invalid settings: {exc.errors()[0]['msg']}")
    except KeyboardInterrupt:  # before the servers handle Ctrl-C themselves
        raise typer.Exit(130) from None
    if not told:  # Ctrl-C during the story
        notes.print("Interrupted before the end of the story.")
        raise typer.Exit(130)
