"""What the console does to a device, through the API's own service functions: read its state now, re-check the
virtual key with Tesla, send a command from the catalogue."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import ValidationError

from fleetgate.features.access.capabilities import VEHICLE
from fleetgate.features.commands.schemas import CommandIn
from fleetgate.features.commands.service import submit
from fleetgate.features.connections.tesla_errors import upstream_errors
from fleetgate.features.console.api_errors import error_text, field_problems
from fleetgate.features.console.auth import ConsoleUserDep, FormUserDep
from fleetgate.features.console.command_forms import command_forms, params_from, typed_in
from fleetgate.features.console.errors import workspace_row, workspace_vehicle
from fleetgate.features.console.flash import Flash
from fleetgate.features.console.render import done, render
from fleetgate.features.devices.pairing import check_virtual_key
from fleetgate.features.devices.service import capabilities_out, connection_of
from fleetgate.features.devices.state_service import read_state
from fleetgate.infra.db.release import release
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.errors import APIError, ValidationFailed
from fleetgate.infra.models import Device

router = APIRouter()


def device_page(device_id: str, anchor: str = "") -> str:
    return f"/console/devices/{device_id}{anchor}"


@router.post("/console/devices/{device_id}/state")
async def read_now(
    device_id: str,
    request: Request,
    user: FormUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    wake: Annotated[bool, Form()] = False,
) -> Response:
    """What `GET /v1/devices/{id}/state?max_age=0` does: a read from Tesla, stored as the device's state."""
    row = await workspace_row(session, Device, user.workspace_id, device_id, "device")
    # The read runs in transactions of its own, and none is held while Tesla answers.
    await release(session)
    back = device_page(row.id, "#last-state")
    try:
        await read_state(runtime, user.workspace_id, row.id, max_age=0, wake=wake)
    except APIError as exc:
        return done(request, back, Flash("bad", f"The state was not read: {error_text(exc)}"))
    return done(request, back, Flash("ok", "State read from Tesla just now."))


@router.post("/console/devices/{device_id}/virtual-key/check")
async def check_key(
    device_id: str, request: Request, user: FormUserDep, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """What `POST /v1/devices/{id}/virtual-key/check` does: ask Tesla whether the app's key is on the car now."""
    row = await workspace_vehicle(session, user.workspace_id, device_id)
    connection = await connection_of(session, row)
    await release(session)
    back = device_page(row.id, "#virtual-key")
    try:
        async with upstream_errors(runtime, session, connection):
            await check_virtual_key(session, runtime, row, connection)
    except APIError as exc:
        await session.rollback()
        return done(request, back, Flash("bad", f"The key was not checked: {error_text(exc)}"))
    paired = "is on the car" if row.virtual_key_paired else "is not on the car"
    return done(request, back, Flash("ok", f"Checked with Tesla just now: the app's key {paired}."))


async def send_page(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    workspace_id: str,
    device_id: str,
    *,
    error: APIError | None = None,
    chosen: str | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    """Every command of the device's type by family, or only `chosen`'s form when it is one of them."""
    row = await workspace_row(session, Device, workspace_id, device_id, "device")
    capabilities = capabilities_out(runtime, row, await connection_of(session, row))
    name = row.display_name or row.external_id
    families = command_forms(row.type, capabilities)
    shown = [replace(family, forms=[form for form in family.forms if form.name == chosen]) for family in families]
    shown = [family for family in shown if family.forms]
    context = {
        "title": f"Send a command to {name}",
        "section": "devices",
        "device_id": row.id,
        "name": name,
        "is_vehicle": row.type == VEHICLE,
        "families": families,
        "shown": shown or families,
        "error": error_text(error) if error else None,
        "problems": field_problems(error) if error else {},
        "chosen": chosen if shown else None,
        "typed": typed or {},
    }
    return render(request, "send_command.html", context, status=error.status if error else 200)


@router.get("/console/devices/{device_id}/commands/new")
async def command_form(
    device_id: str,
    request: Request,
    user: ConsoleUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    command: str | None = None,
) -> Response:
    return await send_page(request, session, runtime, user.workspace_id, device_id, chosen=command)


@router.post("/console/devices/{device_id}/commands")
async def send_command(
    device_id: str,
    request: Request,
    user: FormUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    command: Annotated[str, Form()] = "",
    if_asleep: Annotated[str, Form()] = "wake",
) -> Response:
    """What `POST /v1/devices/{id}/commands` does: the command checked, queued and sent by the executor."""
    row = await workspace_row(session, Device, user.workspace_id, device_id, "device")
    typed = typed_in(await request.form())
    try:
        body = CommandIn(command=command, params=params_from(command, typed), wake=if_asleep != "fail")
        queued, _ = await submit(session, runtime, user.workspace_id, row.id, body, None)
    except ValidationError:
        error = ValidationFailed("The form is not valid: choose a command from the list.")
        return await send_page(request, session, runtime, user.workspace_id, row.id, error=error)
    except APIError as exc:
        # The submission wrote nothing in this session (it queues through the writer): the form is shown again.
        return await send_page(
            request, session, runtime, user.workspace_id, row.id, error=exc, chosen=command, typed=typed
        )
    return done(
        request,
        f"/console/commands/{queued.id}",
        Flash("ok", f"{queued.command} queued: it is sent to the {'car' if row.type == VEHICLE else 'site'} next."),
    )
