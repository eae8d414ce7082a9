"""The long-running processes and their database: serve, worker, migrate."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

import typer
from rich.markup import escape

from fleetgate.cli.database import on_database, shown_url
from fleetgate.cli.errors import CliError
from fleetgate.cli.output import notes


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0 for every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
) -> None:
    """Run the API server, configured by FLEETGATE_* settings (environment or .env)."""
    import uvicorn

    from fleetgate.app import create_app
    from fleetgate.config import Settings
    from fleetgate.infra.logs import uvicorn_log_config

    settings = Settings()
    # Built here rather than by uvicorn, so that settings it refuses are reported like any other error.
    app = create_app(settings)
    if settings.mode == "dev":
        notes.print("[yellow]Dev mode:[/yellow] tokens are encrypted with a fixed, public key. Not for real users.")
    # With the request log on, uvicorn's access log would say the same again, less well.
    log_config = uvicorn_log_config(settings.log_format)
    uvicorn.run(app, host=host, port=port, log_config=log_config, access_log=not settings.request_log)


def worker(
    concurrency: Annotated[
        int | None, typer.Option(help="Commands run at once by this worker (default FLEETGATE_COMMAND_CONCURRENCY).")
    ] = None,
    metrics_port: Annotated[
        int | None, typer.Option(help="Serve this worker's Prometheus metrics on this port (at /metrics).")
    ] = None,
    metrics_host: Annotated[str, typer.Option(help="Interface for --metrics-port.")] = "127.0.0.1",
) -> None:
    """Run commands from the database on PostgreSQL, beside other workers (FLEETGATE_COMMAND_EXECUTOR=worker)."""
    from fleetgate.config import Settings
    from fleetgate.infra.db.engine import is_sqlite
    from fleetgate.jobs.worker import run_worker

    settings = Settings()
    if is_sqlite(settings.database_url):
        raise CliError(
            "Workers need PostgreSQL: set FLEETGATE_DATABASE_URL to a postgresql+psycopg:// URL, or run commands in "
            "the API process (FLEETGATE_COMMAND_EXECUTOR=in_process, the default)."
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    address = (metrics_host, metrics_port) if metrics_port is not None else None
    asyncio.run(run_worker(settings, concurrency=concurrency, metrics_address=address))


def migrate() -> None:
    """Apply the database migrations to FLEETGATE_DATABASE_URL (a SQLite file or PostgreSQL)."""
    from fleetgate.config import Settings
    from fleetgate.infra.db.migrate import upgrade

    settings = Settings()
    on_database(settings.database_url, upgrade)
    notes.print(f"The database {escape(shown_url(settings.database_url))} has the latest schema.")
