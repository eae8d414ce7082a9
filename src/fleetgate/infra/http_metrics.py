"""Counts and times every HTTP request by method, route template and status (plain ASGI, as it runs on every call)."""

from __future__ import annotations

import time

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fleetgate.infra.metrics import Metrics


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app raises before answering

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            runtime = getattr(scope["app"].state, "runtime", None) if "app" in scope else None
            if runtime is not None:
                record(runtime.metrics, scope, status, time.perf_counter() - started)


def route_template(scope: Scope) -> str:
    """The matched route's template (`/v1/devices/{device_id}/state`), or `unmatched`; never the path itself."""
    route = scope.get("route")
    template = getattr(route, "path", None) if isinstance(route, BaseRoute) else None
    return template if isinstance(template, str) else "unmatched"


def record(metrics: Metrics, scope: Scope, status: int, seconds: float) -> None:
    # The template, not the path: ids in paths would make a series per object.
    name = route_template(scope)
    method = str(scope.get("method", ""))
    metrics.http_requests.labels(method, name, str(status)).inc()
    metrics.http_seconds.labels(method, name).observe(seconds)
