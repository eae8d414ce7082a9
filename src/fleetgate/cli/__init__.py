"""The `fleetgate` command line: the typer app, assembled from the commands of each subject."""

from __future__ import annotations

import typer

from fleetgate.cli.admin import apikey_app, workspace_app
from fleetgate.cli.errors import ReportingGroup
from fleetgate.cli.keys import keys_app
from fleetgate.cli.partner import partner_app
from fleetgate.cli.servers import migrate, serve, worker
from fleetgate.cli.telemetry import telemetry
from fleetgate.cli.with_simulator import demo, dev, simulator

app = typer.Typer(
    cls=ReportingGroup, help="fleetgate: a self-hostable gateway to Tesla's Fleet API.", no_args_is_help=True
)


@app.callback()
def main() -> None:
    """fleetgate: a self-hostable gateway to Tesla's Fleet API."""


# In this order in `fleetgate --help`.
for command in (simulator, serve, worker, telemetry, migrate, dev, demo):
    app.command()(command)
app.add_typer(keys_app, name="keys")
app.add_typer(partner_app, name="partner")
app.add_typer(workspace_app, name="workspace")
app.add_typer(apikey_app, name="apikey")
