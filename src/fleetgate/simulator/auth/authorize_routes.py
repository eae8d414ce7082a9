"""The browser side of `/oauth2/v3/authorize`: sign-in, consent, and the redirect back with a code or an error."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fleetgate.simulator.auth.authorize_request import (
    AuthorizationRequest,
    AuthorizeRedirectError,
    UntrustedAuthorizeRequest,
    parse_authorization_request,
    repeated_parameters,
    with_query,
)
from fleetgate.simulator.auth.codes import issue_code
from fleetgate.simulator.auth.forms import field, fields
from fleetgate.simulator.auth.pages import (
    consent_page,
    error_page,
    expired_transaction_page,
    sign_in_page,
    unknown_email,
)
from fleetgate.simulator.auth.service import consent_to_reuse, grant_consent
from fleetgate.simulator.auth.transactions import open_transaction, take_transaction
from fleetgate.simulator.fleet.access import WorldDep, public_base
from fleetgate.simulator.world import Account, World

router = APIRouter(tags=["auth"])

AUTHORIZE_PATH = "/oauth2/v3/authorize"
DECISIONS = ("allow", "select_all", "deny")


def redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=302, headers={"Cache-Control": "no-store"})


def show_sign_in(
    request: Request, world: World, auth: AuthorizationRequest, *, email: str | None = None, error: str | None = None
) -> Response:
    transaction = open_transaction(world, "sign_in", auth.app.client_id, request=auth)
    return sign_in_page(
        request,
        app=auth.app,
        action=AUTHORIZE_PATH,
        transaction_id=transaction.id,
        email=auth.login_hint if email is None else email,
        error=error,
    )


def show_consent(
    request: Request,
    world: World,
    auth: AuthorizationRequest,
    account: Account,
    ticked: frozenset[str],
    error: str | None = None,
) -> Response:
    transaction = open_transaction(world, "consent", auth.app.client_id, request=auth, account_id=account.id)
    return consent_page(request, auth=auth, account=account, transaction_id=transaction.id, ticked=ticked, error=error)


def approve(
    request: Request, world: World, auth: AuthorizationRequest, account: Account, scopes: frozenset[str]
) -> Response:
    code = issue_code(world, auth, account, scopes)
    return redirect(
        with_query(
            auth.redirect_uri,
            {
                "code": code,
                "state": auth.oauth_state,
                "issuer": f"{public_base(request)}/oauth2/v3",
                "locale": auth.locale,
            },
        )
    )


def after_sign_in(
    request: Request,
    world: World,
    auth: AuthorizationRequest,
    account: Account,
    scripted: frozenset[str] | None = None,
) -> Response:
    """`scripted` stands for the boxes a test ticks on the consent page, when that page is shown at all."""
    client_id = auth.app.client_id
    earlier = consent_to_reuse(
        world,
        client_id,
        account.id,
        requested=auth.scopes,
        prompt_missing_scopes=auth.prompt_missing_scopes or "consent" in auth.prompt,
        require_requested_scopes=auth.require_requested_scopes,
    )
    if earlier is not None:
        return approve(request, world, auth, account, earlier.scopes)
    if scripted is None:
        previous = world.consents.get((client_id, account.id))
        ticked = previous.scopes if previous else frozenset()
        return show_consent(request, world, auth, account, ticked & frozenset(auth.boxes))
    return decide(request, world, auth, account, "allow", scripted)


def decide(
    request: Request,
    world: World,
    auth: AuthorizationRequest,
    account: Account,
    decision: str,
    ticked: frozenset[str],
) -> Response:
    if decision == "deny":
        return redirect(auth.error_location("access_denied", "The user denied access to the application."))
    boxes = frozenset(auth.boxes)
    chosen = boxes if decision == "select_all" else ticked & boxes
    if decision not in DECISIONS:
        return show_consent(request, world, auth, account, chosen, "Choose Allow or Deny.")
    if auth.require_requested_scopes and chosen != boxes:
        return show_consent(
            request,
            world,
            auth,
            account,
            chosen,
            f"{auth.app.name} needs every permission listed. Select all of them to continue, or deny.",
        )
    granted = chosen | auth.implicit
    grant_consent(world, auth.app.client_id, account.id, granted)
    return approve(request, world, auth, account, granted)


@router.get(AUTHORIZE_PATH)
async def authorize(request: Request, world: WorldDep) -> Response:
    params = request.query_params
    try:
        auth = parse_authorization_request(world, params, repeated_parameters(params.multi_items()))
    except UntrustedAuthorizeRequest as exc:
        return error_page(request, "This application cannot sign you in", exc.description, error=exc.error)
    except AuthorizeRedirectError as exc:
        return redirect(exc.location)
    if "none" in auth.prompt:
        # There are no sign-in sessions to reuse, so a silent authorization can never succeed.
        return redirect(auth.error_location("login_required", "The user must sign in."))
    scripted = params.get("sim_grant")
    if auth.login_hint and scripted is not None:
        account = world.account_by_email(auth.login_hint)
        if account is None:
            return show_sign_in(request, world, auth, error=unknown_email(auth.login_hint))
        return after_sign_in(request, world, auth, account, frozenset(scripted.split()))
    return show_sign_in(request, world, auth)


@router.post(AUTHORIZE_PATH)
async def sign_in(request: Request, world: WorldDep) -> Response:
    form = await request.form()
    transaction = take_transaction(world, field(form, "transaction_id"), "sign_in")
    if transaction is None or transaction.request is None:
        return expired_transaction_page(request)
    auth = transaction.request
    email = field(form, "identity")
    account = world.account_by_email(email) if email else None
    if account is None:
        return show_sign_in(request, world, auth, email=email, error=unknown_email(email))
    return after_sign_in(request, world, auth, account)


@router.post(f"{AUTHORIZE_PATH}/consent")
async def consent(request: Request, world: WorldDep) -> Response:
    form = await request.form()
    transaction = take_transaction(world, field(form, "transaction_id"), "consent")
    account = world.accounts.get(transaction.account_id or "") if transaction else None
    if transaction is None or transaction.request is None or account is None:
        return expired_transaction_page(request)
    return decide(request, world, transaction.request, account, field(form, "decision"), fields(form, "scope"))
