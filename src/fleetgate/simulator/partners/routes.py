"""Fleet API partner endpoints: register the app's domain in a region and look a domain's key up.

They take a partner token (client_credentials) only, and work in a region where the app is not yet registered,
since this is how it gets registered. Not billed.
"""

from __future__ import annotations

import json

import httpx
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from fleetgate.simulator.envelope import TeslaHTTPError, not_found, ok
from fleetgate.simulator.fleet.access import Caller, UnregisteredCallerDep, WorldDep, bill
from fleetgate.simulator.partners import service

router = APIRouter(tags=["partners"])


def _require_partner(request: Request, caller: Caller) -> None:
    bill(request, None)
    if not caller.token.is_partner:
        raise TeslaHTTPError(403, "Expected partner account", "this endpoint needs a partner token")


@router.post("/partner_accounts")
async def register(request: Request, caller: UnregisteredCallerDep, world: WorldDep) -> JSONResponse:
    _require_partner(request, caller)
    app = world.apps.get(caller.client_id)
    if app is None:
        raise not_found(f"application {caller.client_id} not found")
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError as exc:
        raise TeslaHTTPError(400, "invalid_request", "the request body is not valid JSON") from exc
    if not isinstance(body, dict) or "domain" not in body:
        raise TeslaHTTPError(400, "invalid_field", "domain is required", messages={"domain": ["is required"]})
    domain = service.parse_domain(body["domain"])
    service.check_allowed_origin(app, domain)
    outbound: httpx.AsyncClient = request.app.state.outbound
    key = await service.fetch_public_key(outbound, domain)
    registration = service.register(world, app.client_id, caller.region, domain, key)
    return ok(service.partner_account_view(app, registration, world.now()))


@router.get("/partner_accounts/public_key")
async def public_key(
    request: Request, caller: UnregisteredCallerDep, world: WorldDep, domain: str | None = Query(None)
) -> JSONResponse:
    _require_partner(request, caller)
    if not domain:
        raise TeslaHTTPError(400, "invalid_field", "domain is required", messages={"domain": ["is required"]})
    registration = service.find_by_domain(world, caller.region, service.parse_domain(domain))
    if registration is None:
        raise not_found(f"no public key registered for domain {domain} in this region")
    return ok({"public_key": registration.public_key.hex()})
