"""`GET /v1/devices/{id}/history`: an energy site's energy flows or grid outages, a car's charging sessions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fleetgate.features.connections.tesla_errors import TESLA_ACCOUNT_ERRORS
from fleetgate.features.devices.errors import DeviceRemoved
from fleetgate.features.history.periods import Kind, Period
from fleetgate.features.history.schemas import HistoryOut
from fleetgate.features.history.service import DEFAULT_MAX_AGE_SECONDS, HistoryAnswer, read_history
from fleetgate.infra.db.base import iso
from fleetgate.infra.dependencies import RuntimeDep, WorkspaceDep
from fleetgate.infra.errors import ValidationFailed
from fleetgate.infra.openapi import documented_errors

router = APIRouter(tags=["devices"])
MAX_AGE_LIMIT = 365 * 24 * 3600.0

ERRORS = documented_errors(
    *TESLA_ACCOUNT_ERRORS,
    DeviceRemoved,
    ValidationFailed,
    s403="the connection lacks the access this history needs (`energy_data` for a site, "
    "`vehicle_charging_commands` for a car's charging); the remedy names it. Tesla was not called.",
    s422="a kind the device does not have (`charging` is a car's, `energy` and `backup` a site's), a date or "
    "time zone that does not parse, `start` not before `end`, or a range longer than its period allows; "
    "`field` names which.",
)


@router.get(
    "/v1/devices/{device_id}/history",
    name="get_device_history",
    summary="Read a device's history",
    response_model=HistoryOut,
    responses=ERRORS,
    description="An energy site's energy flows (`kind=energy`: solar, battery, grid and home, in Wh per day, per "
    "month for a year) or grid outages (`kind=backup`), or a car's charging sessions (`kind=charging`), over a "
    "range cut in the device's time zone: the current `period` (day, ISO week, month, year) by default, or from "
    "`start` to `end` (dates, or date-times with an offset). A closed range (it ended before now) never changes: it "
    "is read from Tesla once and then served from storage; an open one (today, say) is served from storage while "
    "younger than `max_age` seconds. Each Tesla read is billed as data; a car's charging history does not wake it.",
)
async def device_history(
    device_id: str,
    workspace: WorkspaceDep,
    runtime: RuntimeDep,
    kind: Annotated[
        Kind | None, Query(description="energy or backup for a site (default energy), charging for a car")
    ] = None,
    period: Annotated[Period, Query(description="The calendar span a range defaults to")] = "day",
    start: Annotated[
        str | None, Query(description="First day (2026-12-01) or moment (with its offset) of the range")
    ] = None,
    end: Annotated[
        str | None,
        Query(description="Last day of the range, counted in full, or the moment (with its offset) it ends before"),
    ] = None,
    time_zone: Annotated[
        str | None,
        Query(description="IANA time zone to cut the range and days in; default the site's, UTC for a car"),
    ] = None,
    max_age: Annotated[
        float,
        Query(ge=0, le=MAX_AGE_LIMIT, description="Oldest acceptable read of an open range, in seconds; 0 asks Tesla"),
    ] = DEFAULT_MAX_AGE_SECONDS,
) -> HistoryOut:
    answer = await read_history(
        runtime,
        workspace.id,
        device_id,
        kind=kind,
        period=period,
        start=start,
        end=end,
        time_zone=time_zone,
        max_age=max_age,
    )
    return render(answer)


def render(answer: HistoryAnswer) -> HistoryOut:
    return HistoryOut.model_validate(
        {
            "device_id": answer.device_id,
            "type": answer.device_type,
            "kind": answer.kind,
            "period": answer.period,
            "range": {"start": answer.span.start.isoformat(), "end": answer.span.end.isoformat()},
            "time_zone": answer.span.zone_name,
            "source": answer.source,
            "fetched_at": iso(answer.fetched_at),
            "closed": answer.closed,
            "energy": answer.data if answer.kind == "energy" else None,
            "backup": answer.data if answer.kind == "backup" else None,
            "charging": answer.data if answer.kind == "charging" else None,
        }
    )
