"""Devices: capabilities with their reasons and remedies, the virtual key with its pairing link, the last state, a
vehicle's Fleet Telemetry, the stored history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from fleetgate.features.access.capabilities import VEHICLE
from fleetgate.features.console.auth import ConsoleUserDep
from fleetgate.features.console.device_views import capability_rows, last_state, pairing
from fleetgate.features.console.errors import workspace_row
from fleetgate.features.console.history import history_panels
from fleetgate.features.console.listing import customer_references, page_params
from fleetgate.features.console.render import render
from fleetgate.features.console.telemetry import telemetry_panel
from fleetgate.features.devices.schemas import VehicleOut
from fleetgate.features.devices.service import connection_of, connections_by_id, device_out, list_query
from fleetgate.features.devices.virtual_key import pairing_offered
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.models import Command, Device
from fleetgate.infra.pagination import paginate

router = APIRouter()
RECENT_COMMANDS = 10
TYPES = {"vehicle": "Vehicles", "energy_site": "Energy sites"}


@router.get("/console/devices")
async def devices(
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    device_type: Annotated[str, Query(alias="type")] = "",
    cursor: str | None = None,
) -> Response:
    device_type = device_type if device_type in TYPES else ""
    query = list_query(user.workspace_id, device_type=device_type or None)
    rows, next_cursor = await paginate(session, query, Device, page_params(cursor))
    connections = await connections_by_id(session, rows)
    type_query = f"type={device_type}&" if device_type else ""
    context = {
        "title": TYPES.get(device_type, "Devices"),
        "section": "devices",
        "devices": [device_out(runtime, row, connections[row.connection_id]) for row in rows],
        "types": TYPES,
        "device_type": device_type,
        "next_url": f"/console/devices?{type_query}cursor={next_cursor}" if next_cursor else None,
    }
    return render(request, "devices.html", context)


@router.get("/console/devices/{device_id}")
async def device(
    device_id: str, request: Request, user: ConsoleUserDep, session: SessionDep, runtime: RuntimeDep
) -> Response:
    row = await workspace_row(session, Device, user.workspace_id, device_id, "device")
    out = device_out(runtime, row, await connection_of(session, row))
    name = row.display_name or row.external_id
    offered = (
        pairing(out.virtual_key.pairing_url, name) if isinstance(out, VehicleOut) and pairing_offered(row) else None
    )
    location = "read_location" in out.capabilities and out.capabilities["read_location"].available
    commands = await session.scalars(
        select(Command)
        .where(Command.workspace_id == user.workspace_id, Command.device_id == row.id)
        .order_by(Command.created_at.desc(), Command.id.desc())
        .limit(RECENT_COMMANDS)
    )
    customers = await customer_references(session, user.workspace_id, [row.customer_id])
    context = {
        "title": name,
        "section": "devices",
        "device": out,
        "name": name,
        "customer_reference": customers.get(row.customer_id, row.customer_id),
        "capabilities": capability_rows(out.capabilities),
        "pairing": offered,
        "last_state": await last_state(session, row.id, row.type, location),
        "commands": list(commands.all()),
        "is_vehicle": row.type == VEHICLE,
        "telemetry": await telemetry_panel(session, row) if row.type == VEHICLE else None,
        "history": await history_panels(runtime, row.id, row.type, out.capabilities),
    }
    return render(request, "device.html", context)
