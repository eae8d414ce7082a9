"""Who is calling the Fleet API and whether Tesla would let them: token, region, registration, scopes, limits.

Tesla's order, as clients observe it: a bad or expired token is 401 before anything else; a user in another
region gets 421 with the base URL to use; an app not registered in the region gets 412; then scopes (403), and
per-vehicle rate limits (429) last, so that refused calls do not use up a vehicle's budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request

from fleetgate.simulator.auth.tokens import AccessTokenRecord, ExpiredAccessToken, InvalidAccessToken
from fleetgate.simulator.envelope import REGIONAL_DOCS, TeslaHTTPError, missing_scopes, not_found
from fleetgate.simulator.world import REGIONS, Account, World


def get_world(request: Request) -> World:
    world: World = request.app.state.world
    return world


WorldDep = Annotated[World, Depends(get_world)]


def public_base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def region_base_url(request: Request, region: str) -> str:
    return f"{public_base(request)}/{region}"


@dataclass(slots=True)
class Caller:
    token: AccessTokenRecord
    account: Account | None
    region: str
    scopes: frozenset[str]

    @property
    def client_id(self) -> str:
        return self.token.client_id

    def require_account(self) -> Account:
        if self.account is None:
            # Partner tokens carry no user; user endpoints answer as Tesla does for them.
            raise TeslaHTTPError(403, "invalid_token", "this endpoint needs a third-party (user) token")
        return self.account

    def require_any_scope(self, *scopes: str) -> None:
        if not self.scopes.intersection(scopes):
            raise missing_scopes(*scopes)


def authenticate(request: Request, world: World) -> AccessTokenRecord:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TeslaHTTPError(401, "invalid bearer token", "client did not provide an OAuth token")
    now = world.now()
    try:
        claims = world.issuer.verify(token.strip(), now)
    except ExpiredAccessToken as exc:
        # Tesla answers an expired access token with a bare 401 and no body.
        raise TeslaHTTPError(401, body=False) from exc
    except InvalidAccessToken as exc:
        raise TeslaHTTPError(401, "invalid bearer token", "client provided malformed OAuth token") from exc
    record = world.access_tokens.get(str(claims.get("jti", "")))
    if record is None or record.revoked:
        raise TeslaHTTPError(401, "invalid bearer token", "token has been revoked")
    if record.account_id is not None and (record.client_id, record.account_id) not in world.consents:
        raise TeslaHTTPError(401, "invalid bearer token", "consent has been revoked")
    return record


def effective_scopes(world: World, token: AccessTokenRecord) -> frozenset[str]:
    """Scopes the user has since removed stop working at once; added ones need a new token."""
    if token.account_id is None:
        return token.scopes
    consent = world.consents.get((token.client_id, token.account_id))
    return token.scopes & consent.scopes if consent else frozenset()


def resolve_caller(
    request: Request, world: World, region: str, *, check_region: bool = True, check_registration: bool = True
) -> Caller:
    if region not in REGIONS:
        raise not_found()
    token = authenticate(request, world)
    account = world.accounts.get(token.account_id) if token.account_id else None
    if check_region and account is not None and account.region != region:
        correct = region_base_url(request, account.region)
        raise TeslaHTTPError(
            421,
            f"user out of region, use base URL: {correct}, see {REGIONAL_DOCS}",
            headers={"Alt-Svc": f'h2="{correct}"'},
        )
    if check_registration and (token.client_id, region) not in world.registrations:
        raise TeslaHTTPError(
            412,
            f"Account {token.client_id} must be registered in the current region {region_base_url(request, region)}",
        )
    caller = Caller(token=token, account=account, region=region, scopes=effective_scopes(world, token))
    request.state.caller = caller
    return caller


def fleet_caller(request: Request, world: WorldDep, region: Annotated[str, Path()]) -> Caller:
    return resolve_caller(request, world, region)


def unregistered_caller(request: Request, world: WorldDep, region: Annotated[str, Path()]) -> Caller:
    """For partner endpoints, which are how an app gets registered in the first place."""
    return resolve_caller(request, world, region, check_registration=False)


def any_region_caller(request: Request, world: WorldDep, region: Annotated[str, Path()]) -> Caller:
    """For `users/region`, which clients call on any base URL to discover the right one."""
    return resolve_caller(request, world, region, check_region=False, check_registration=False)


CallerDep = Annotated[Caller, Depends(fleet_caller)]
UnregisteredCallerDep = Annotated[Caller, Depends(unregistered_caller)]
AnyRegionCallerDep = Annotated[Caller, Depends(any_region_caller)]


def bill(request: Request, category: str | None, device: str | None = None) -> None:
    """Names the billing category of this call; the metering middleware records it with the final status."""
    request.state.billing = (category, device)


def enforce_rate_limit(request: Request, world: World, caller: Caller, device: str, category: str) -> None:
    owner = caller.account.id if caller.account else caller.client_id
    decision = world.limiter.check(owner, device, category, world.now())
    request.state.rate_limit = decision
    if not decision.allowed:
        raise TeslaHTTPError(
            429,
            "rate limit exceeded",
            f"Retry in {decision.reset_seconds} seconds",
            headers=decision.headers(),
        )
