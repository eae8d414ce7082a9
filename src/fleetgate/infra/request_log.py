"""One log line per request (FLEETGATE_REQUEST_LOG, on in `fleetgate dev`): method, route, status, time taken and
request id, e.g. `GET /v1/devices/{device_id}/state 200 12 ms [req_5f2c1a9e0b7d4c31]`.

The route is its template, as the metrics name it; never the query string, a header or the body, where secrets travel
(Tesla's callback carries the authorization code in its query, clients their API key in a header). Plain ASGI, as it
runs on every call; inside `RequestIdMiddleware`, so the line carries the request's id.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fleetgate.infra.http_metrics import route_template
from fleetgate.infra.logs import REQUEST_LOGGER

log = logging.getLogger(REQUEST_LOGGER)


class RequestLogMiddleware:
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
            milliseconds = round((time.perf_counter() - started) * 1000)
            method, route = str(scope.get("method", "")), route_template(scope)
            log.info(
                "%s %s %d %d ms",
                method,
                route,
                status,
                milliseconds,
                extra={"method": method, "route": route, "status": status, "duration_ms": milliseconds},
            )
