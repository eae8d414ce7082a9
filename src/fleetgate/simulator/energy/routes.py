"""Fleet API energy endpoints: site_info, live_status, calendar_history and the settings commands.

Reads need `energy_device_data` and are billed as `data`; commands need `energy_cmds` and are billed as
`commands`. Both count against the site's per-device limits, with the site id as the device.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, tzinfo
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from fleetgate.simulator.energy import commands, physics, views
from fleetgate.simulator.energy.site import EnergySite
from fleetgate.simulator.envelope import TeslaHTTPError, not_found, ok
from fleetgate.simulator.fleet.access import Caller, CallerDep, WorldDep, bill, enforce_rate_limit
from fleetgate.simulator.world import World

router = APIRouter(tags=["energy"])

SiteId = Annotated[str, Path()]


def _site(request: Request, world: World, caller: Caller, energy_site_id: str, category: str) -> EnergySite:
    bill(request, category)
    account = caller.require_account()
    caller.require_any_scope("energy_device_data" if category == "data" else "energy_cmds")
    site = world.energy_sites.get(int(energy_site_id)) if energy_site_id.isdigit() else None
    if site is None or site.account_id != account.id:
        raise not_found(f"energy site {energy_site_id} not found")
    device = str(site.energy_site_id)
    bill(request, category, device)
    enforce_rate_limit(request, world, caller, device, category)
    site.advance(world.now())
    return site


@router.get("/energy_sites/{energy_site_id}/site_info")
async def site_info(request: Request, caller: CallerDep, world: WorldDep, energy_site_id: SiteId) -> JSONResponse:
    return ok(views.site_info(_site(request, world, caller, energy_site_id, "data")))


@router.get("/energy_sites/{energy_site_id}/live_status")
async def live_status(request: Request, caller: CallerDep, world: WorldDep, energy_site_id: SiteId) -> JSONResponse:
    site = _site(request, world, caller, energy_site_id, "data")
    return ok(views.live_status(site, world.now()))


def _date(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise commands.invalid_field(name, "must be an ISO 8601 date-time") from exc
    if parsed.tzinfo is None:
        raise commands.invalid_field(name, "must carry a UTC offset")
    return parsed


def _zone(value: str | None, site: EnergySite) -> tzinfo:
    if not value:
        return physics.zone(site.installation_time_zone)
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise commands.invalid_field("time_zone", "is not a known IANA time zone") from exc


@router.get("/energy_sites/{energy_site_id}/calendar_history")
async def calendar_history(
    request: Request,
    caller: CallerDep,
    world: WorldDep,
    energy_site_id: SiteId,
    kind: str | None = Query(None),
    period: str | None = Query(None),
    start_date: str | None = Query(None),
    end_date: str | None = Query(None),
    time_zone: str | None = Query(None),
) -> JSONResponse:
    site = _site(request, world, caller, energy_site_id, "data")
    if kind not in ("energy", "backup"):
        raise commands.invalid_field("kind", "must be energy or backup")
    chosen = next((known for known in views.PERIODS if known == period), None)
    if period is not None and chosen is None:
        raise commands.invalid_field("period", f"must be one of {', '.join(views.PERIODS)}")
    start, end = _date("start_date", start_date), _date("end_date", end_date)
    if start is not None and end is not None and start > end:
        raise commands.invalid_field("start_date", "must not be after end_date")
    # Without a period, energy history covers today and backup history every outage the site has had.
    default: views.Period = "day" if kind == "energy" else "lifetime"
    query = views.HistoryQuery(period=chosen or default, start=start, end=end, zone=_zone(time_zone, site))
    now = world.now()
    if kind == "energy":
        return ok(views.energy_history(site, query, now))
    return ok(views.backup_history(site, query, now))


def _command_route(name: str) -> Callable[[Request, Caller, World, str], Awaitable[JSONResponse]]:
    async def command(request: Request, caller: CallerDep, world: WorldDep, energy_site_id: SiteId) -> JSONResponse:
        site = _site(request, world, caller, energy_site_id, "commands")
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError as exc:
            raise TeslaHTTPError(400, "invalid_request", "the request body is not valid JSON") from exc
        return ok(commands.execute(site, name, body))

    command.__name__ = name
    return command


for _name in commands.COMMANDS:
    router.add_api_route(f"/energy_sites/{{energy_site_id}}/{_name}", _command_route(_name), methods=["POST"])
