"""The answers the API gives in the tests, kept per app, to hold them against its OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

ANSWERS = "documented_answers"


def recording(app: FastAPI) -> ASGIApp:
    """`app`, noting each API answer as (method, route template, status) in `app.state`."""
    answers: set[tuple[str, str, int]] = getattr(app.state, ANSWERS, set())
    setattr(app.state, ANSWERS, answers)

    async def recorded(scope: Scope, receive: Receive, send: Send) -> None:
        status = 0

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await app(scope, receive, noting)
        route = scope.get("route")
        template = getattr(route, "path", None) if isinstance(route, BaseRoute) else None
        if scope["type"] == "http" and isinstance(template, str) and template.startswith("/v1/"):
            answers.add((scope["method"].lower(), template, status))

    return recorded


def undocumented_answers(app: FastAPI) -> list[str]:
    answers: set[tuple[str, str, int]] = getattr(app.state, ANSWERS, set())
    paths: dict[str, Any] = app.openapi()["paths"]
    missing = []
    for method, template, status in sorted(answers):
        operation = paths.get(template, {}).get(method)
        if operation is None and status == 405:
            continue  # a method the path has no operation for: OpenAPI has no place to list its 405
        if operation is None:
            missing.append(f"{method.upper()} {template} (not in the document)")
        elif str(status) not in operation["responses"]:
            missing.append(f"{method.upper()} {template} {status}")
    return missing
