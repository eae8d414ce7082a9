"""Middleware around the Fleet API: injected faults first, then billing and rate-limit headers afterwards."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from fleetgate.simulator.world import REGIONS, World

FLEET_PATH = re.compile(rf"^/({'|'.join(REGIONS)})/")
CONTROL_PREFIXES = ("/sim/", "/static/")


class FleetMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        world: World = request.app.state.world
        path = request.url.path
        fault = None if path.startswith(CONTROL_PREFIXES) else world.faults.take(path)
        if fault is not None and fault.status is not None:
            if fault.latency_ms:
                await asyncio.sleep(fault.latency_ms / 1000)
            return Response(
                fault.render_body(),
                status_code=fault.status,
                headers=fault.headers,
                media_type="application/json" if not isinstance(fault.body, str) else "text/plain",
            )
        response = await call_next(request)
        if FLEET_PATH.match(path):
            caller = getattr(request.state, "caller", None)
            if caller is not None:
                category, device = getattr(request.state, "billing", (None, None))
                world.usage.record(
                    client_id=caller.client_id,
                    device=device,
                    category=category,
                    endpoint=f"{request.method} {_route_template(request)}",
                    status=response.status_code,
                )
            decision = getattr(request.state, "rate_limit", None)
            if decision is not None and response.status_code != 429:
                for name, value in decision.headers().items():
                    response.headers[name] = value
        if fault is not None and fault.latency_ms:
            # A slow answer, as from a car on a poor link: the request has been carried out (and billed), only the
            # reply is late, so a client that gives up or dies meanwhile has still changed the car and paid for it.
            await asyncio.sleep(fault.latency_ms / 1000)
        if fault is not None and fault.lose_answer:
            return await _lost(response)
        return response


def _route_template(request: Request) -> str:
    route = request.scope.get("route")
    template = getattr(route, "path", None)
    return template if isinstance(template, str) else request.url.path


class AnswerLost(Exception):
    """Raised in the middle of an answer's body: the server closes the connection, the client reads a broken reply."""


async def _lost(response: Response) -> Response:
    async for _ in response.body_iterator:  # type: ignore[attr-defined]
        pass  # the request's work is done whatever becomes of its answer

    async def broken() -> AsyncIterator[bytes]:
        yield b"{"
        raise AnswerLost("the answer was lost on the way back (an injected fault)")

    # The answer's length announced, then fewer bytes than that before the connection closes.
    headers = {"content-length": "64", "content-type": "application/json"}
    return StreamingResponse(broken(), status_code=response.status_code, headers=headers)


class _NotLostAnswers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], AnswerLost))


@contextmanager
def quiet_lost_answers() -> Iterator[None]:
    """The server logs every answer it could not finish; a lost answer injected on purpose is not an error."""
    found = _NotLostAnswers()
    server_log = logging.getLogger("uvicorn.error")
    server_log.addFilter(found)
    try:
        yield
    finally:
        server_log.removeFilter(found)
