"""The Tesla client's own transport over real sockets: what it answers, and which failures it calls "never sent"."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import Response

from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import UpstreamError
from fleetgate.tesla.fleet import FleetSession, StaticToken
from fleetgate.tesla.transport import AiohttpTransport, tesla_client
from tests.support.live import free_port, serve_in_thread

pytestmark = pytest.mark.live


def session_to(url: str, http: httpx.AsyncClient) -> FleetSession:
    return FleetSession(http, TeslaEndpoints.simulator(url), StaticToken("token"), "na")


def small_tesla() -> FastAPI:
    """Answers as Tesla does, gzipped when asked, and says what it was sent."""
    app = FastAPI()

    @app.post("/na/api/1/echo/{n}")  # the region first, as the simulator's endpoints have it
    async def echo(n: int, body: dict[str, object]) -> Response:
        content = json.dumps({"response": {"n": n, "body": body}}).encode()
        return Response(gzip.compress(content), media_type="application/json", headers={"Content-Encoding": "gzip"})

    return app


async def hang_up_after_the_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.close()


@pytest.fixture
async def hangs_up() -> AsyncIterator[str]:
    """A server that reads a request and closes the connection without answering."""
    server = await asyncio.start_server(hang_up_after_the_request, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


async def test_answers_are_decoded_and_requests_beyond_the_pool_wait_for_a_connection() -> None:
    with serve_in_thread(small_tesla()) as server:
        async with httpx.AsyncClient(transport=AiohttpTransport(max_connections=2)) as http:
            session = session_to(server.url, http)
            answers = await asyncio.gather(
                *(session.request("POST", f"/api/1/echo/{n}", json={"sent": n}) for n in range(10))
            )
    assert [answer.response for answer in answers] == [{"n": n, "body": {"sent": n}} for n in range(10)]
    assert session.calls == 10


async def test_a_refused_connection_was_never_sent() -> None:
    async with tesla_client() as http:
        with pytest.raises(UpstreamError) as refused:
            await session_to(f"http://127.0.0.1:{free_port()}", http).request("POST", "/api/1/echo/1", json={})
    assert not refused.value.may_have_succeeded
    assert refused.value.temporary


async def test_a_connection_closed_after_the_request_may_have_reached_tesla(hangs_up: str) -> None:
    async with tesla_client() as http:
        with pytest.raises(UpstreamError) as lost:
            await session_to(hangs_up, http).request("POST", "/api/1/echo/1", json={})
    assert lost.value.may_have_succeeded
