"""Calls to the Fleet API on behalf of one user (or of the app, with a partner token).

`FleetSession` holds the region and a token source. It follows one 421 to the region Tesla names and reports the
move through `on_region_change`; on a 401 it asks the token source for a fresh token and tries once more.
Nothing else is retried here: a request that changes something may have reached Tesla before its answer was lost,
so only the caller can know whether sending it again is safe (the error's `may_have_succeeded` says whether it
may have reached Tesla).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

import httpx

from fleetgate.tesla.endpoints import Region, TeslaEndpoints
from fleetgate.tesla.errors import LoginRequired, TeslaError, TokenExpired, UpstreamError, WrongRegion
from fleetgate.tesla.http import body_of, error_for


def tesla_timeout(read_seconds: float) -> httpx.Timeout:
    """How long a call waits for Tesla's answer before taking it as lost (the request may still have been served)."""
    return httpx.Timeout(connect=5.0, read=read_seconds, write=10.0, pool=5.0)


DEFAULT_TIMEOUT = tesla_timeout(30.0)
# Parsing a URL is a good part of what httpx spends on a request; a gateway calls the same few per car again and again.
_parsed_url = lru_cache(maxsize=4096)(httpx.URL)
# Failures that happen before a single byte of the request reached Tesla: sending again is always safe.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class TokenSource(Protocol):
    async def access_token(self) -> str: ...

    async def refreshed_after(self, rejected: str) -> str:
        """A token newer than `rejected`; refreshes unless someone already did."""
        ...


@dataclass(slots=True)
class StaticToken:
    """A token that cannot be refreshed (a partner token, or a test)."""

    token: str

    async def access_token(self) -> str:
        return self.token

    async def refreshed_after(self, rejected: str) -> str:
        raise TokenExpired("the access token has expired and cannot be refreshed here", status=401)


@dataclass(frozen=True, slots=True)
class FleetResponse:
    status: int
    body: Any
    headers: Mapping[str, str]

    @property
    def response(self) -> Any:
        return self.body.get("response") if isinstance(self.body, dict) else None


@dataclass
class FleetSession:
    http: httpx.AsyncClient
    endpoints: TeslaEndpoints
    tokens: TokenSource
    region: Region
    on_region_change: Callable[[Region], Awaitable[None]] | None = None
    on_response: Callable[[str, str, int], None] | None = None  # (method, path, status): usage metering
    on_unsent: Callable[[str, str], None] | None = None  # (method, path) of a request that never reached Tesla
    # (method, path) before every attempt, retries after 421 and 401 included: per-device budgets. It may raise a
    # `TeslaError` (`RateLimited`, say) to stop the call before anything is sent.
    before_request: Callable[[str, str], Awaitable[None]] | None = None
    timeout: httpx.Timeout = field(default_factory=lambda: DEFAULT_TIMEOUT)
    _calls: int = field(default=0, init=False)

    @property
    def calls(self) -> int:
        """Requests that reached Tesla through this session (retries and redirects included)."""
        return self._calls

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        signed_command: bool = False,
    ) -> FleetResponse:
        token = await self.tokens.access_token()
        followed_region = False
        refreshed = False
        while True:
            response = await self._send(method, path, token, json, params)
            if response.status_code < 400:
                return FleetResponse(response.status_code, body_of(response), response.headers)
            error = error_for(response, signed_command=signed_command)
            if isinstance(error, TokenExpired):
                if refreshed:
                    # A token minted a moment ago is refused too: no refresh will help, the grant is broken.
                    raise LoginRequired(f"Tesla refused a fresh access token: {error.reason}", status=401)
                refreshed = True
                token = await self.tokens.refreshed_after(token)
                continue
            if isinstance(error, WrongRegion) and not followed_region and error.base_url:
                region = self.endpoints.region_of(error.base_url)
                if region is not None and region != self.region:
                    followed_region = True
                    self.region = region
                    if self.on_region_change is not None:
                        await self.on_region_change(region)
                    continue
            raise error

    async def _send(
        self, method: str, path: str, token: str, json: Any, params: Mapping[str, str] | None
    ) -> httpx.Response:
        if self.before_request is not None:
            await self.before_request(method, path)
        # Built here rather than by `http.request`, which merges in cookies and parses the URL on every call.
        headers = self.http.headers.copy()  # the client's defaults (user agent, accepted encodings)
        headers["Authorization"] = f"Bearer {token}"
        headers["Content-Type"] = "application/json"
        request = httpx.Request(
            method,
            _parsed_url(f"{self.endpoints.base_url(self.region)}{path}"),
            params=params,
            json=json,
            headers=headers,
            extensions={"timeout": self.timeout.as_dict()},
        )
        try:
            response = await self.http.send(request)
        except NOT_SENT as exc:
            if self.on_unsent is not None:
                self.on_unsent(method, path)
            raise UpstreamError.not_sent(f"Tesla is unreachable: {exc!r}") from exc
        except httpx.TimeoutException as exc:
            raise UpstreamError.answer_lost(f"Tesla did not answer in time: {method} {path}") from exc
        except httpx.TransportError as exc:
            raise UpstreamError.answer_lost(f"the connection to Tesla failed: {exc!r}") from exc
        self._calls += 1
        if self.on_response is not None:
            self.on_response(method, path, response.status_code)
        return response


def response_or_raise(result: FleetResponse) -> Any:
    if not isinstance(result.body, dict) or "response" not in result.body:
        raise UpstreamError.answer_lost(
            "Tesla answered without a response envelope", status=result.status, body=result.body
        )
    return result.body["response"]


__all__ = ["FleetResponse", "FleetSession", "StaticToken", "TeslaError", "TokenSource", "response_or_raise"]
