"""The auth host's HTML pages: sign-in, consent, manage access and errors."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from fleetgate.simulator.auth.authorize_request import AuthorizationRequest
from fleetgate.simulator.auth.scopes import IMPLICIT_SCOPES, SCOPES_BY_NAME, Scope
from fleetgate.simulator.world import Account, DeveloperApp

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
# Pages that carry a one-time transaction must not be served from a cache or the back button.
NO_STORE = {"Cache-Control": "no-store"}


def scopes_named(names: tuple[str, ...] | list[str]) -> list[Scope]:
    return [SCOPES_BY_NAME[name] for name in names]


def unknown_email(email: str) -> str:
    return f"There is no Tesla account for {email}." if email else "Enter the email address of your Tesla account."


def error_page(request: Request, title: str, description: str, *, error: str = "", status: int = 400) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        "auth_error.html",
        {"title": title, "description": description, "error": error},
        status_code=status,
        headers=NO_STORE,
    )


def expired_transaction_page(request: Request) -> HTMLResponse:
    return error_page(
        request,
        "This page has expired",
        "The form was already submitted or is too old. Go back to the application and start again.",
        error="invalid_transaction",
    )


def sign_in_page(
    request: Request,
    *,
    app: DeveloperApp,
    action: str,
    transaction_id: str,
    email: str,
    error: str | None = None,
    purpose: str = "authorize",
) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        "sign_in.html",
        {
            "app_name": app.name,
            "action": action,
            "transaction_id": transaction_id,
            "email": email,
            "error": error,
            "purpose": purpose,
        },
        status_code=200 if error is None else 400,
        headers=NO_STORE,
    )


def consent_page(
    request: Request,
    *,
    auth: AuthorizationRequest,
    account: Account,
    transaction_id: str,
    ticked: frozenset[str],
    error: str | None = None,
) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        "consent.html",
        {
            "app_name": auth.app.name,
            "email": account.email,
            "transaction_id": transaction_id,
            "scopes": scopes_named(auth.boxes),
            "implicit": scopes_named(sorted(auth.implicit)),
            "ticked": ticked,
            "show_keypair_step": auth.show_keypair_step,
            "require_requested_scopes": auth.require_requested_scopes,
            "error": error,
        },
        status_code=200 if error is None else 400,
        headers=NO_STORE,
    )


def manage_page(
    request: Request,
    *,
    app: DeveloperApp,
    account: Account,
    granted: frozenset[str] | None,
    transaction_id: str | None,
    back_url: str | None,
    outcome: str | None = None,
) -> HTMLResponse:
    boxes = [scope for scope in SCOPES_BY_NAME.values() if granted and scope.name in granted]
    return TEMPLATES.TemplateResponse(
        request,
        "manage_access.html",
        {
            "app_name": app.name,
            "email": account.email,
            "scopes": [scope for scope in boxes if scope.name not in IMPLICIT_SCOPES],
            "has_access": granted is not None,
            "transaction_id": transaction_id,
            "back_url": back_url,
            "outcome": outcome,
        },
        headers=NO_STORE,
    )
