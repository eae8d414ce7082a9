"""Loading a device's history section from Tesla, through the API's own service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from fleetgate.features.console.api_errors import error_text
from fleetgate.features.console.auth import FormUserDep
from fleetgate.features.console.device_actions import device_page
from fleetgate.features.console.errors import workspace_row
from fleetgate.features.console.flash import Flash
from fleetgate.features.console.history import TITLES, Window, window
from fleetgate.features.console.render import done
from fleetgate.features.history.service import KINDS_BY_DEVICE_TYPE, HistoryAnswer, default_zone, read_history
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.release import release
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.errors import APIError
from fleetgate.infra.models import Device
from fleetgate.infra.runtime import Runtime

router = APIRouter()


async def _read(runtime: Runtime, workspace_id: str, device_id: str, asked: Window) -> HistoryAnswer:
    return await read_history(
        runtime,
        workspace_id,
        device_id,
        kind=asked.kind,
        period=asked.period,
        start=asked.start,
        end=asked.end,
        max_age=0,
    )


@router.post("/console/devices/{device_id}/history")
async def load_history(
    device_id: str,
    request: Request,
    user: FormUserDep,
    session: SessionDep,
    runtime: RuntimeDep,
    kind: Annotated[str, Form()] = "",
) -> Response:
    """What `GET /v1/devices/{id}/history?max_age=0` does for the section's range: a closed range already stored
    is served as it is; anything else is read from Tesla (billed as data) and stored."""
    row = await workspace_row(session, Device, user.workspace_id, device_id, "device")
    # The read runs in transactions of its own, and none is held while Tesla answers.
    await release(session)
    back = device_page(row.id, "#history")
    fitting = next((found for found in KINDS_BY_DEVICE_TYPE[row.type] if found == kind), None)
    if fitting is None:
        return done(request, back, Flash("bad", f"This device has no {kind or 'such'} history to load."))
    zone_name = await default_zone(runtime, row.id, row.type)
    # A site whose time zone no read has told yet: its days are guessed in UTC, then cut again once Tesla said it.
    asked = window(fitting, zone_name or "UTC", utcnow())
    try:
        answer = await _read(runtime, user.workspace_id, row.id, asked)
        wanted = window(fitting, answer.span.zone_name, utcnow())
        if wanted != asked:
            answer = await _read(runtime, user.workspace_id, row.id, wanted)
    except APIError as exc:
        return done(request, back, Flash("bad", f"{TITLES[fitting]}: not loaded. {error_text(exc)}"))
    if answer.source == "cache":
        return done(request, back, Flash("ok", f"{TITLES[fitting]}: stored for good, as the range is over."))
    return done(request, back, Flash("ok", f"{TITLES[fitting]}: read from Tesla just now (billed as data)."))
