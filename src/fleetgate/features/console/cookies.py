"""The console's cookies: HttpOnly, SameSite=Strict, scoped to /console, Secure when fleetgate is served over https."""

from __future__ import annotations

from fastapi.responses import Response

from fleetgate.features.console.login_token import LIFETIME
from fleetgate.infra.runtime import Runtime

LOGIN_COOKIE = "fleetgate_console"
# Before login there is no login cookie to bind the form to: this one carries the login form's own CSRF token.
FORM_COOKIE = "fleetgate_console_form"
PATH = "/console"
FORM_PATH = "/console/login"
FORM_LIFETIME_SECONDS = 3600


def secure(runtime: Runtime) -> bool:
    return runtime.settings.public_url.startswith("https://")


def set_login(response: Response, runtime: Runtime, token: str) -> None:
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=int(LIFETIME.total_seconds()),
        path=PATH,
        secure=secure(runtime),
        httponly=True,
        samesite="strict",
    )


def forget_login(response: Response, runtime: Runtime) -> None:
    response.delete_cookie(LOGIN_COOKIE, path=PATH, secure=secure(runtime), httponly=True, samesite="strict")


def set_form_token(response: Response, runtime: Runtime, token: str) -> None:
    response.set_cookie(
        FORM_COOKIE,
        token,
        max_age=FORM_LIFETIME_SECONDS,
        path=FORM_PATH,
        secure=secure(runtime),
        httponly=True,
        samesite="strict",
    )


def forget_form_token(response: Response, runtime: Runtime) -> None:
    response.delete_cookie(FORM_COOKIE, path=FORM_PATH, secure=secure(runtime), httponly=True, samesite="strict")
