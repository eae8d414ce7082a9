"""Commands, newest first, read from the `commands` table: status, Tesla's reason, the error and its remedy."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from fleetgate.features.console.auth import ConsoleUserDep
from fleetgate.features.console.errors import workspace_row
from fleetgate.features.console.listing import device_names, page_params
from fleetgate.features.console.render import render
from fleetgate.infra.dependencies import SessionDep
from fleetgate.infra.models import Command
from fleetgate.infra.pagination import paginate

router = APIRouter()
STATUSES = {
    "queued": "Queued",
    "in_progress": "In progress",
    "succeeded": "Succeeded",
    "failed": "Failed",
    "cancelled": "Cancelled",
    "expired": "Expired",
}


@router.get("/console/commands")
async def commands(
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    status: str = "",
    device_id: str = "",
    cursor: str | None = None,
) -> Response:
    status = status if status in STATUSES else ""
    query = select(Command).where(Command.workspace_id == user.workspace_id)
    if status:
        query = query.where(Command.status == status)
    if device_id:
        query = query.where(Command.device_id == device_id)
    rows, next_cursor = await paginate(session, query, Command, page_params(cursor))
    names = await device_names(session, user.workspace_id, [*(row.device_id for row in rows), device_id])
    filters = {name: given for name, given in (("status", status), ("device_id", device_id)) if given}
    context = {
        "title": f"{STATUSES[status]} commands" if status else "Commands",
        "section": "commands",
        "commands": rows,
        "names": names,
        "statuses": STATUSES,
        "status": status,
        "device_id": device_id,
        "device_name": names.get(device_id) if device_id else None,
        "next_url": f"/console/commands?{urlencode({**filters, 'cursor': next_cursor})}" if next_cursor else None,
    }
    return render(request, "commands.html", context)


@router.get("/console/commands/{command_id}")
async def command(command_id: str, request: Request, user: ConsoleUserDep, session: SessionDep) -> Response:
    row = await workspace_row(session, Command, user.workspace_id, command_id, "command")
    names = await device_names(session, user.workspace_id, [row.device_id])
    context = {
        "title": f"Command {row.command}",
        "section": "commands",
        "command": row,
        "device_name": names.get(row.device_id, row.device_id),
    }
    return render(request, "command.html", context)
