"""The virtual-key approval screen behind `https://tesla.com/_ak/<domain>?vin=<VIN>`.

In reality the link opens the Tesla app, where the signed-in owner approves and the app enrols the key on the car.
Here the owner signs in with an email, picks a vehicle when the link names none, and approves or declines.
Approval puts the public key the domain registered in the owner's region on the car's whitelist, with the owner
role. Each form carries a single-use transaction id; what it is about stays server-side in
`world.auth_requests`, under keys of its own prefix.

Tesla refuses when the domain is not registered in the account's region, when the user has not granted the app
vehicle access, when the car is not the user's, and when the car already holds 20 keys.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from fleetgate.simulator.fleet.access import WorldDep
from fleetgate.simulator.vehicles.vehicle import ROLE_OWNER, Vehicle, WhitelistEntry
from fleetgate.simulator.world import Account, PartnerRegistration, World

router = APIRouter(tags=["virtual key pairing"])
TEMPLATES = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
NO_STORE = {"Cache-Control": "no-store"}
TRANSACTION_PREFIX = "pairing:"
TRANSACTION_LIFETIME = 30 * 60
MAX_KEYS = 20
PAIRING_SCOPES = frozenset({"vehicle_device_data", "vehicle_cmds", "vehicle_location"})

Step = Literal["sign_in", "choose", "approve"]


@dataclass(frozen=True, slots=True)
class PairingTransaction:
    step: Step
    domain: str
    expires_at: float
    vin: str | None = None
    account_id: str | None = None


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


# -- transactions --------------------------------------------------------------------------------------------


def open_transaction(
    world: World, step: Step, domain: str, *, vin: str | None = None, account_id: str | None = None
) -> str:
    now = world.now()
    for key in [k for k, v in world.auth_requests.items() if isinstance(v, PairingTransaction) and v.expires_at <= now]:
        del world.auth_requests[key]
    token = secrets.token_urlsafe(24)
    world.auth_requests[TRANSACTION_PREFIX + token] = PairingTransaction(
        step, domain, now + TRANSACTION_LIFETIME, vin=vin, account_id=account_id
    )
    return token


def take_transaction(world: World, token: str, step: Step, domain: str) -> PairingTransaction:
    transaction = world.auth_requests.pop(TRANSACTION_PREFIX + token, None) if token else None
    if (
        not isinstance(transaction, PairingTransaction)
        or transaction.step != step
        or transaction.domain != domain
        or transaction.expires_at <= world.now()
    ):
        raise Refusal(
            400, "invalid_transaction", "This request has expired or was already answered. Open the link again."
        )
    return transaction


# -- rules ---------------------------------------------------------------------------------------------------


def registration_for(world: World, domain: str, account: Account) -> PartnerRegistration:
    for registration in world.registrations.values():
        if registration.domain == domain and registration.region == account.region:
            return registration
    raise Refusal(
        404,
        "app_not_registered",
        f"{domain} is not registered with Tesla in your region. Contact the developer of the application.",
    )


def require_vehicle_access(world: World, registration: PartnerRegistration, account: Account) -> None:
    consent = world.consents.get((registration.client_id, account.id))
    if consent is None or not consent.scopes & PAIRING_SCOPES:
        raise Refusal(
            403,
            "access_not_granted",
            f"{app_name(world, registration)} has not been granted access to your vehicles. Sign in to the "
            "application with your Tesla account and allow vehicle information, location or commands first.",
        )


def vehicle_for(world: World, account: Account, vin: str, public_key: bytes) -> Vehicle:
    vehicle = world.vehicles.get(vin.strip().upper())
    if vehicle is None or vehicle.account_id != account.id:
        raise Refusal(404, "vehicle_not_found", f"The vehicle {vin} is not on your Tesla account.")
    if vehicle.key_entry(public_key) is None and len(vehicle.keys) >= MAX_KEYS:
        raise Refusal(
            409,
            "too_many_keys",
            f"{vehicle.display_name} already has {MAX_KEYS} keys. Remove a key from the vehicle's Locks screen first.",
        )
    return vehicle


def whitelist(world: World, vehicle: Vehicle, public_key: bytes, domain: str) -> None:
    entry = vehicle.key_entry(public_key)
    if entry is None:
        vehicle.keys.append(WhitelistEntry(public_key=public_key, role=ROLE_OWNER, added_at=world.now(), domain=domain))
        return
    entry.role, entry.active, entry.domain = ROLE_OWNER, True, domain


def app_name(world: World, registration: PartnerRegistration) -> str:
    app = world.apps.get(registration.client_id)
    return app.name if app else registration.domain


def account_of(world: World, transaction: PairingTransaction) -> Account:
    account = world.accounts.get(transaction.account_id or "")
    if account is None:
        raise Refusal(400, "invalid_transaction", "This Tesla account no longer exists.")
    return account


# -- pages ---------------------------------------------------------------------------------------------------


def page(request: Request, view: str, title: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request, "pairing.html", {"view": view, "title": title, **context}, status_code=status, headers=NO_STORE
    )


def refusal_page(request: Request, refusal: Refusal) -> HTMLResponse:
    return page(
        request,
        "refused",
        "Unable to add virtual key",
        status=refusal.status,
        message=refusal.message,
        error_code=refusal.code,
    )


def approval_page(request: Request, world: World, domain: str, account: Account, vehicle: Vehicle) -> HTMLResponse:
    registration = registration_for(world, domain, account)
    token = open_transaction(world, "approve", domain, vin=vehicle.vin, account_id=account.id)
    return page(
        request,
        "approve",
        "Add virtual key",
        app_name=app_name(world, registration),
        domain=domain,
        vin=vehicle.vin,
        vehicle_name=vehicle.display_name,
        transaction_id=token,
        action=f"/_ak/{domain}/decision",
    )


async def form_field(request: Request, name: str) -> str:
    value = (await request.form()).get(name)
    return value.strip() if isinstance(value, str) else ""


@router.get("/_ak/{domain}", response_class=HTMLResponse)
async def pairing_link(
    domain: str, request: Request, world: WorldDep, vin: str | None = None, login_hint: str = ""
) -> HTMLResponse:
    domain = domain.lower()
    token = open_transaction(world, "sign_in", domain, vin=vin or None)
    return page(
        request, "sign_in", "Sign In", domain=domain, email=login_hint, transaction_id=token, action=request.url.path
    )


@router.post("/_ak/{domain}", response_class=HTMLResponse)
async def sign_in(domain: str, request: Request, world: WorldDep) -> HTMLResponse:
    domain = domain.lower()
    try:
        transaction = take_transaction(world, await form_field(request, "transaction_id"), "sign_in", domain)
        email = await form_field(request, "email")
        account = world.account_by_email(email) if email else None
        if account is None:
            token = open_transaction(world, "sign_in", domain, vin=transaction.vin)
            return page(
                request,
                "sign_in",
                "Sign In",
                status=401,
                domain=domain,
                email=email,
                transaction_id=token,
                action=request.url.path,
                error="No Tesla account uses this email.",
            )
        registration = registration_for(world, domain, account)
        require_vehicle_access(world, registration, account)
        if transaction.vin:
            vehicle = vehicle_for(world, account, transaction.vin, registration.public_key)
            return approval_page(request, world, domain, account, vehicle)
        token = open_transaction(world, "choose", domain, account_id=account.id)
        return page(
            request,
            "choose",
            "Choose a vehicle",
            app_name=app_name(world, registration),
            domain=domain,
            vehicles=world.vehicles_of(account.id),
            transaction_id=token,
            action=f"/_ak/{domain}/vehicle",
        )
    except Refusal as refusal:
        return refusal_page(request, refusal)


@router.post("/_ak/{domain}/vehicle", response_class=HTMLResponse)
async def choose_vehicle(domain: str, request: Request, world: WorldDep) -> HTMLResponse:
    domain = domain.lower()
    try:
        transaction = take_transaction(world, await form_field(request, "transaction_id"), "choose", domain)
        account = account_of(world, transaction)
        registration = registration_for(world, domain, account)
        require_vehicle_access(world, registration, account)
        vehicle = vehicle_for(world, account, await form_field(request, "vin"), registration.public_key)
        return approval_page(request, world, domain, account, vehicle)
    except Refusal as refusal:
        return refusal_page(request, refusal)


@router.post("/_ak/{domain}/decision", response_class=HTMLResponse)
async def decide(domain: str, request: Request, world: WorldDep) -> HTMLResponse:
    domain = domain.lower()
    try:
        transaction = take_transaction(world, await form_field(request, "transaction_id"), "approve", domain)
        account = account_of(world, transaction)
        # Everything is checked again: consent, registration or keys may have changed while the page was open.
        registration = registration_for(world, domain, account)
        require_vehicle_access(world, registration, account)
        vehicle = vehicle_for(world, account, transaction.vin or "", registration.public_key)
        context: dict[str, Any] = {
            "app_name": app_name(world, registration),
            "domain": domain,
            "vin": vehicle.vin,
            "vehicle_name": vehicle.display_name,
        }
        if await form_field(request, "decision") != "approve":
            return page(request, "declined", "Virtual key declined", **context)
        whitelist(world, vehicle, registration.public_key, domain)
        return page(request, "approved", "Virtual key added", **context)
    except Refusal as refusal:
        return refusal_page(request, refusal)
