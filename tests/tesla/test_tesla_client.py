"""`TeslaClient.send`: a request goes straight to the transport unless it asks for what only httpx's client does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from fleetgate.tesla.transport import TeslaClient, tesla_client


def small_app() -> FastAPI:
    app = FastAPI()

    @app.get("/cookie")
    async def cookie() -> JSONResponse:
        response = JSONResponse({"response": "ok"})
        response.set_cookie("affinity", "node-1")
        return response

    @app.get("/seen")
    async def seen(request: Request) -> JSONResponse:
        return JSONResponse({"cookie": request.headers.get("cookie"), "agent": request.headers.get("user-agent")})

    @app.get("/moved")
    async def moved() -> RedirectResponse:
        return RedirectResponse("/seen", status_code=302)

    return app


@pytest.fixture
async def http() -> AsyncIterator[TeslaClient]:
    async with tesla_client(httpx.ASGITransport(app=small_app())) as client:
        yield client


async def test_an_answer_is_read_whole_and_tied_to_its_request(http: TeslaClient) -> None:
    request = http.build_request("GET", "http://tesla.test/seen")
    response = await http.send(request)
    assert response.status_code == 200
    assert response.request is request
    assert response.json()["agent"].startswith("python-httpx/")  # the client's default headers, as before
    assert response.is_closed


async def test_cookies_are_neither_kept_nor_sent(http: TeslaClient) -> None:
    await http.get("http://tesla.test/cookie")
    assert not http.cookies
    assert (await http.get("http://tesla.test/seen")).json()["cookie"] is None


async def test_redirects_are_not_followed_unless_asked(http: TeslaClient) -> None:
    assert (await http.get("http://tesla.test/moved")).status_code == 302
    followed = await http.get("http://tesla.test/moved", follow_redirects=True)
    assert followed.status_code == 200
    assert [r.status_code for r in followed.history] == [302]


async def test_a_streamed_request_goes_the_general_way(http: TeslaClient) -> None:
    async with http.stream("GET", "http://tesla.test/seen") as response:
        assert not response.is_closed
        assert b"agent" in await response.aread()


async def test_a_transport_error_names_its_request() -> None:
    class Refusing(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            raise httpx.ConnectError("refused")

    async with tesla_client(Refusing()) as client:
        request = client.build_request("POST", "http://tesla.test/api", json={})
        with pytest.raises(httpx.ConnectError) as refused:
            await client.send(request)
    assert refused.value.request is request


async def test_a_closed_client_refuses_to_send(http: TeslaClient) -> None:
    await http.aclose()
    with pytest.raises(RuntimeError):
        await http.get("http://tesla.test/seen")
