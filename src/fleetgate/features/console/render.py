"""Rendering a console page: the template with the logged-in user, and headers that keep the page to itself."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from fleetgate.features.console.flash import FLASH_COOKIE, Flash, forget_flash, read_flash, set_flash
from fleetgate.features.console.formatting import install_filters
from fleetgate.infra.runtime import Runtime

# No scripts at all, styles and images from this server only, forms posting back here, never framed.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CSP,
}


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    runtime: Runtime = request.app.state.runtime
    install_filters(runtime.templates.env)
    # The result of the form that led here, shown once (see `flash`).
    flash = read_flash(request, runtime) if request.method == "GET" else None
    full = {"user": getattr(request.state, "console_user", None), "flash": flash, **context}
    response = runtime.templates.TemplateResponse(request, f"console/{name}", full, status_code=status)
    response.headers.update(HEADERS)
    if FLASH_COOKIE in request.cookies and request.method == "GET":
        forget_flash(response, runtime)
    return response


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers=HEADERS)


def done(request: Request, location: str, flash: Flash) -> RedirectResponse:
    """The redirect after a console form, with its result for the page it leads to."""
    response = see_other(location)
    runtime: Runtime = request.app.state.runtime
    set_flash(response, runtime, flash)
    return response
