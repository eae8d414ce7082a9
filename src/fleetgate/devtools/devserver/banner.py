"""What `fleetgate dev` prints once everything is up: where things are, the API key, and how to try the flow."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from fleetgate.devtools.devserver.seed import DemoAccount, WorkspaceSeed

DEMO_ACCESS = (
    "vehicle_data",
    "vehicle_location",
    "vehicle_commands",
    "vehicle_charging_commands",
    "energy_data",
    "energy_commands",
)
DEMO_REFERENCE_ID = "demo-user"


@dataclass(frozen=True, slots=True)
class DevReady:
    gateway_url: str
    simulator_url: str
    telemetry_url: str
    console_url: str
    data_dir: Path
    domain: str
    client_id: str
    regions: tuple[str, ...]
    workspace: WorkspaceSeed
    account: DemoAccount


def connect_session_curl(gateway_url: str, api_key: str) -> list[str]:
    body = json.dumps({"reference_id": DEMO_REFERENCE_ID, "access": list(DEMO_ACCESS)})
    return [
        f"curl -s -X POST {gateway_url}/v1/connect-sessions \\",
        f"  -H 'Authorization: Bearer {api_key}' -H 'Content-Type: application/json' \\",
        f"  -d '{body}'",
    ]


def banner(ready: DevReady) -> list[str]:
    workspace, account = ready.workspace, ready.account
    if workspace.created:
        key_note = f"  (workspace {workspace.name!r}, {workspace.workspace_id}; shown once, stored hashed)"
    else:
        key_note = (
            f"  (a new key for the existing workspace {workspace.name!r}, {workspace.workspace_id}: keys are stored "
            "hashed, so each start makes one; earlier keys keep working)"
        )
    lines = [
        "",
        f"fleetgate dev is ready. Data: {ready.data_dir} (delete it to start afresh). Ctrl-C stops the servers.",
        "",
        f"Gateway: {ready.gateway_url}",
        f"Console: {ready.console_url}",
        f"Docs: {ready.gateway_url}/docs",
        f"Simulator: {ready.simulator_url}",
        f"  (Tesla auth, Fleet API at /na /eu /cn, pairing links; control API docs: {ready.simulator_url}/sim/docs)",
        f"Telemetry: {ready.telemetry_url}",
        "  (Fleet Telemetry receiver: a config set with PUT /v1/devices/{id}/telemetry sends the cars here)",
        f"API key: {workspace.api_key}",
        key_note,
        "",
        f"Tesla app: client_id {ready.client_id}, domain {ready.domain} registered in {', '.join(ready.regions)}",
        f"Demo Tesla account: {account.email} ({account.region}), to sign in with on the simulator's consent page",
    ]
    for vehicle in account.vehicles:
        pairing = "app key paired" if vehicle.paired else "app key not paired yet"
        lines.append(f"  vehicle {vehicle.vin} ({vehicle.model}), {pairing}")
    lines += [
        f"  energy site {account.energy_site_id} ({account.energy_site_name}): Powerwall and solar",
        "",
        'Connect the demo account: create a connect session, then open the "url" it returns in a browser:',
        *(f"  {line}" for line in connect_session_curl(ready.gateway_url, workspace.api_key)),
        "",
    ]
    return lines
