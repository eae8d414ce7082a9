"""`/user/revoke/consent`: the user reviews what an app may do, takes scopes away or revokes it entirely."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fleetgate.simulator.auth.forms import field, fields
from fleetgate.simulator.auth.origins import safe_back_url
from fleetgate.simulator.auth.pages import (
    error_page,
    expired_transaction_page,
    manage_page,
    sign_in_page,
    unknown_email,
)
from fleetgate.simulator.auth.service import narrow_consent, revoke_consent
from fleetgate.simulator.auth.transactions import open_transaction, take_transaction
from fleetgate.simulator.fleet.access import WorldDep
from fleetgate.simulator.world import Account, DeveloperApp, World

router = APIRouter(tags=["auth"])

MANAGE_PATH = "/user/revoke/consent"


def show_sign_in(
    request: Request, world: World, app: DeveloperApp, back_url: str | None, email: str, error: str | None = None
) -> Response:
    transaction = open_transaction(world, "manage_sign_in", app.client_id, back_url=back_url)
    return sign_in_page(
        request,
        app=app,
        action=MANAGE_PATH,
        transaction_id=transaction.id,
        email=email,
        error=error,
        purpose="manage",
    )


def show_manage(
    request: Request,
    world: World,
    app: DeveloperApp,
    account: Account,
    back_url: str | None,
    outcome: str | None = None,
) -> Response:
    consent = world.consents.get((app.client_id, account.id))
    transaction_id = None
    if consent is not None:
        transaction_id = open_transaction(world, "manage", app.client_id, account_id=account.id, back_url=back_url).id
    return manage_page(
        request,
        app=app,
        account=account,
        granted=consent.scopes if consent else None,
        transaction_id=transaction_id,
        back_url=back_url,
        outcome=outcome,
    )


@router.get(MANAGE_PATH)
async def manage_access(request: Request, world: WorldDep) -> Response:
    params = request.query_params
    app = world.apps.get(params.get("revoke_client_id", ""))
    if app is None:
        return error_page(
            request, "Unknown application", "No application is registered with this client id.", status=404
        )
    back_url = safe_back_url(app, params.get("back_url"))
    return show_sign_in(request, world, app, back_url, params.get("login_hint", "").strip())


@router.post(MANAGE_PATH)
async def manage_sign_in(request: Request, world: WorldDep) -> Response:
    form = await request.form()
    transaction = take_transaction(world, field(form, "transaction_id"), "manage_sign_in")
    app = world.apps.get(transaction.client_id) if transaction else None
    if transaction is None or app is None:
        return expired_transaction_page(request)
    email = field(form, "identity")
    account = world.account_by_email(email) if email else None
    if account is None:
        return show_sign_in(request, world, app, transaction.back_url, email, unknown_email(email))
    return show_manage(request, world, app, account, transaction.back_url)


@router.post(f"{MANAGE_PATH}/update")
async def update_access(request: Request, world: WorldDep) -> Response:
    form = await request.form()
    transaction = take_transaction(world, field(form, "transaction_id"), "manage")
    app = world.apps.get(transaction.client_id) if transaction else None
    account = world.accounts.get(transaction.account_id or "") if transaction else None
    if transaction is None or app is None or account is None:
        return expired_transaction_page(request)
    action = field(form, "action")
    outcome = None
    if action == "revoke":
        revoke_consent(world, app.client_id, account.id)
        outcome = "revoked"
    elif action == "save" and narrow_consent(world, app.client_id, account.id, fields(form, "scope")):
        outcome = "saved"
    return show_manage(request, world, app, account, transaction.back_url, outcome)
