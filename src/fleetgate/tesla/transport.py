"""The one HTTP client a process keeps for Tesla: httpx's interface over aiohttp's connection pool.

httpcore's pool checks every pooled connection's socket on each request and on each answer, so what a request costs
grows with the connections open (one per command in flight); aiohttp's pool keeps its idle connections in a queue and
costs the same however many are open. `bench/signing.py --socket` measures the difference. httpx stays the interface
and the transport the seam: tests pass the simulator's ASGI transport instead of this one.

aiohttp's errors become httpx's, split the way `fleet.py` needs them: a request that never left (no connection, none
free in time) is `httpx.ConnectError`/`ConnectTimeout`; anything later may have reached Tesla and is a read error.

`TeslaClient.send` hands a request straight to the transport and reads the whole answer. `httpx.AsyncClient.send`
also runs the auth and redirect flows, fills a cookie jar from every answer and times the body's reading; Tesla's
API uses none of that (no cookies, and `fleet.py` handles 421 itself), and on each call it cost about as much CPU
as the connection pool's own work. A request that asks for any of it goes the general way.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING

import aiohttp
import httpx
from httpx import USE_CLIENT_DEFAULT

if TYPE_CHECKING:  # the types of `httpx.AsyncClient.send`'s arguments, which httpx does not export
    from httpx._client import UseClientDefault
    from httpx._types import AuthTypes

# As many connections as commands in flight to Tesla; past that, requests wait for one (`pool` timeout).
MAX_CONNECTIONS = 100
KEEPALIVE_SECONDS = 15.0
DEFAULT_TIMEOUT_SECONDS = 30.0


class AiohttpTransport(httpx.AsyncBaseTransport):
    def __init__(self, *, max_connections: int = MAX_CONNECTIONS, keepalive_seconds: float = KEEPALIVE_SECONDS) -> None:
        self._max_connections = max_connections
        self._keepalive_seconds = keepalive_seconds
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        # Made on first use: aiohttp binds its session to the running event loop.
        connector = aiohttp.TCPConnector(
            limit=self._max_connections,
            limit_per_host=0,
            keepalive_timeout=self._keepalive_seconds,
            ssl=_ssl_context(),
        )
        self._session = aiohttp.ClientSession(
            connector=connector, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar()
        )
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session or self._open()
        timeouts = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(
            total=None,
            # aiohttp's `connect` covers waiting for a free connection and making one.
            connect=_sum(timeouts.get("pool"), timeouts.get("connect")),
            sock_connect=timeouts.get("connect"),
            sock_read=timeouts.get("read"),
        )
        with _httpx_errors():
            async with session.request(
                request.method,
                str(request.url),
                headers=request.headers.multi_items(),
                data=await request.aread() or None,
                allow_redirects=False,
                timeout=timeout,
            ) as response:
                # Tesla's answers are small JSON: read whole here, so that no error escapes httpx's own reading.
                body = await response.read()
                return httpx.Response(
                    response.status,
                    headers=list(response.raw_headers),
                    stream=httpx.ByteStream(body),  # still encoded: httpx decodes by Content-Encoding
                    request=request,
                    extensions={"http_version": b"HTTP/1.1"},
                )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class TeslaClient(httpx.AsyncClient):
    def __init__(self, transport: httpx.AsyncBaseTransport) -> None:
        super().__init__(transport=transport, timeout=DEFAULT_TIMEOUT_SECONDS)
        self._tesla_transport = transport

    async def send(
        self,
        request: httpx.Request,
        *,
        stream: bool = False,
        auth: AuthTypes | UseClientDefault | None = USE_CLIENT_DEFAULT,
        follow_redirects: bool | UseClientDefault = USE_CLIENT_DEFAULT,
    ) -> httpx.Response:
        general = (
            stream
            or auth is not USE_CLIENT_DEFAULT
            or self.auth is not None
            or follow_redirects is True
            or (follow_redirects is USE_CLIENT_DEFAULT and self.follow_redirects)
            or any(self.event_hooks.values())
            or bool(self.cookies)
        )
        if general or self.is_closed:
            return await super().send(request, stream=stream, auth=auth, follow_redirects=follow_redirects)
        try:
            response = await self._tesla_transport.handle_async_request(request)
        except httpx.RequestError as exc:
            exc.request = request  # as httpx's own `send` does
            raise
        response.request = request
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response


def tesla_client(transport: httpx.AsyncBaseTransport | None = None) -> TeslaClient:
    """`transport` replaces the connection to Tesla (tests pass the simulator's ASGI transport)."""
    return TeslaClient(transport or AiohttpTransport())


@cache
def _ssl_context() -> ssl.SSLContext:
    """The CA bundle httpx would use, loaded once per process (it takes tens of milliseconds) and shared by every
    client's connections, as aiohttp shares its own default context."""
    return httpx.create_ssl_context()


def _sum(*seconds: float | None) -> float | None:
    return None if any(s is None for s in seconds) else sum(s for s in seconds if s is not None)


@contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except aiohttp.ConnectionTimeoutError as exc:
        raise httpx.ConnectTimeout(str(exc)) from exc
    except aiohttp.ClientConnectorError as exc:
        raise httpx.ConnectError(str(exc)) from exc
    except (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError) as exc:
        raise httpx.UnsupportedProtocol(str(exc)) from exc
    except (aiohttp.ServerTimeoutError, TimeoutError) as exc:
        raise httpx.ReadTimeout(str(exc) or "no answer in time") from exc
    except aiohttp.ClientError as exc:
        # Disconnected, reset, a malformed answer: the request may have reached Tesla.
        raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
