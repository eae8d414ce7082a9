"""`GET /api/1/dx/charging/history`: the account's charging sessions, one car's with `vin`, a page at a time.

Needs `vehicle_charging_cmds` and is billed as `data`, to the account: the path names no device (`vin` is a filter),
so no car's budget or rate limit counts it. Sessions are
listed once they have ended, those that began between `startTime` and `endTime` (both optional, ISO 8601 with an
offset), sorted by `sortBy` (`chargeStartDateTime`, the default, or `chargeStopDateTime`) in `sortOrder` (`DESC`, the
default, or `ASC`); `pageNo` counts from 0.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from fleetgate.simulator.envelope import TeslaHTTPError, ok
from fleetgate.simulator.fleet.access import CallerDep, WorldDep, bill
from fleetgate.simulator.vehicles.charging_history import ChargingSession, history_item
from fleetgate.simulator.vehicles.lookup import find_vehicle

router = APIRouter(tags=["charging"])
SORT_FIELDS = {"chargeStartDateTime": "start", "chargeStopDateTime": "end"}
MAX_PAGE_SIZE = 100


def _invalid(name: str, problem: str) -> TeslaHTTPError:
    return TeslaHTTPError(400, "invalid_field", f"{name} {problem}")


def _instant(name: str, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise _invalid(name, "must be an ISO 8601 date-time") from exc
    if parsed.tzinfo is None:
        raise _invalid(name, "must carry a UTC offset")
    return parsed.timestamp()


@router.get("/dx/charging/history")
async def charging_history(
    request: Request,
    caller: CallerDep,
    world: WorldDep,
    vin: str | None = Query(None),
    start_time: str | None = Query(None, alias="startTime"),
    end_time: str | None = Query(None, alias="endTime"),
    page_no: int = Query(0, alias="pageNo", ge=0),
    page_size: int = Query(25, alias="pageSize", ge=1, le=MAX_PAGE_SIZE),
    sort_by: str = Query("chargeStartDateTime", alias="sortBy"),
    sort_order: str = Query("DESC", alias="sortOrder"),
) -> JSONResponse:
    bill(request, "data")
    account = caller.require_account()
    caller.require_any_scope("vehicle_charging_cmds")
    if sort_by not in SORT_FIELDS:
        raise _invalid("sortBy", f"must be one of {', '.join(SORT_FIELDS)}")
    if sort_order.upper() not in ("ASC", "DESC"):
        raise _invalid("sortOrder", "must be ASC or DESC")
    since, until = _instant("startTime", start_time), _instant("endTime", end_time)
    if vin is not None:
        vehicles = [find_vehicle(world, caller, vin)]
    else:
        vehicles = world.vehicles_of(account.id)
        for vehicle in vehicles:
            vehicle.advance(world.now())
    sessions = [
        session
        for vehicle in vehicles
        for session in vehicle.charging_log.sessions
        if (since is None or session.start >= since) and (until is None or session.start <= until)
    ]
    attribute = SORT_FIELDS[sort_by]

    def key(session: ChargingSession) -> float:
        value = getattr(session, attribute)
        return float(value) if value is not None else session.start

    sessions.sort(key=key, reverse=sort_order.upper() == "DESC")
    page = sessions[page_no * page_size : (page_no + 1) * page_size]
    return ok(
        {
            "data": [history_item(session, account.region) for session in page],
            "totalResults": len(sessions),
            "pageNo": page_no,
            "pageSize": page_size,
        }
    )
