from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from fleetgate.features.commands.catalog import ABSENT, CATALOG
from fleetgate.features.commands.schemas import AbsentEntry, Catalog, CommandIn, CommandOut, CommandPage
from fleetgate.features.commands.service import CommandNotCancellable, cancel, get_command, list_query, submit
from fleetgate.features.commands.status import CommandStatus
from fleetgate.features.commands.views import catalog_entry, command_out
from fleetgate.features.connections.errors import ConnectionRevoked
from fleetgate.features.connections.tesla_errors import VirtualKeyNotPaired
from fleetgate.features.devices.errors import DeviceRemoved
from fleetgate.features.devices.service import get_device
from fleetgate.infra.dependencies import RuntimeDep, SessionDep, WorkspaceDep
from fleetgate.infra.errors import IdempotencyConflict, InsufficientScope, NeedsReconnect
from fleetgate.infra.idempotency import IdempotencyKey
from fleetgate.infra.models import Command
from fleetgate.infra.openapi import documented_errors, replayed
from fleetgate.infra.pagination import PageDep, paginate

router = APIRouter(tags=["commands"])


@router.post(
    "/v1/devices/{device_id}/commands",
    name="send_command",
    summary="Send a command to a device",
    status_code=202,
    responses={
        **replayed(CommandOut),
        **documented_errors(
            InsufficientScope,
            NeedsReconnect,
            ConnectionRevoked,
            IdempotencyConflict,
            VirtualKeyNotPaired,
            DeviceRemoved,
            s403="the connection lacks the access the command needs; the remedy names it, with the links that get it",
        ),
    },
)
async def submit_command(
    device_id: str,
    body: CommandIn,
    workspace: WorkspaceDep,
    session: SessionDep,
    runtime: RuntimeDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> CommandOut:
    command, created = await submit(session, runtime, workspace.id, device_id, body, idempotency_key)
    if not created:
        response.status_code = 200
    return command_out(command)


@router.get("/v1/devices/{device_id}/commands", name="list_device_commands", summary="List a device's commands")
async def list_device_commands(
    device_id: str,
    workspace: WorkspaceDep,
    session: SessionDep,
    page: PageDep,
    status: CommandStatus | None = None,
) -> CommandPage:
    device = await get_device(session, workspace.id, device_id)
    rows, cursor = await paginate(session, list_query(workspace.id, device_id=device.id, status=status), Command, page)
    return CommandPage(data=[command_out(row) for row in rows], next_cursor=cursor)


@router.get("/v1/commands/catalog", name="get_command_catalog", summary="List the commands and their parameters")
async def catalog(
    workspace: WorkspaceDep,
    device_type: Annotated[Literal["vehicle", "energy_site"] | None, Query()] = None,
) -> Catalog:
    return Catalog(
        data=[catalog_entry(spec) for spec in CATALOG if device_type in (None, spec.device_type)],
        absent=[
            AbsentEntry(name=gone.name, device_type=gone.device_type, reason=gone.reason)
            for gone in ABSENT
            if device_type in (None, gone.device_type)
        ],
    )


@router.get("/v1/commands", name="list_commands", summary="List commands")
async def list_commands(
    workspace: WorkspaceDep,
    session: SessionDep,
    page: PageDep,
    status: CommandStatus | None = None,
    device_id: str | None = None,
    command: str | None = None,
) -> CommandPage:
    query = list_query(workspace.id, device_id=device_id, status=status, command=command)
    rows, cursor = await paginate(session, query, Command, page)
    return CommandPage(data=[command_out(row) for row in rows], next_cursor=cursor)


@router.get("/v1/commands/{command_id}", name="get_command", summary="Read a command")
async def get(command_id: str, workspace: WorkspaceDep, session: SessionDep) -> CommandOut:
    return command_out(await get_command(session, workspace.id, command_id))


@router.post(
    "/v1/commands/{command_id}/cancel",
    name="cancel_command",
    summary="Cancel a queued command",
    responses=documented_errors(CommandNotCancellable),
)
async def cancel_command(command_id: str, workspace: WorkspaceDep, session: SessionDep) -> CommandOut:
    return command_out(await cancel(session, workspace.id, command_id))
