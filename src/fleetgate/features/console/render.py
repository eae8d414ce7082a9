"""Rendering a console page: the template with the logged-in user, and headers that keep the page to itself."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

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
    full = {"user": getattr(request.state, "console_user", None), **context}
    response = runtime.templates.TemplateResponse(request, f"console/{name}", full, status_code=status)
    response.headers.update(HEADERS)
    return response


def see_other(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303, headers=HEADERS)
