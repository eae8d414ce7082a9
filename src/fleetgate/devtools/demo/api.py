"""The application's side: calls to the gateway's API with the workspace's key, each one shown and checked."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from fleetgate.devtools.demo.narrator import Narrator

T = TypeVar("T")
# Generous: a sleeping car takes about ten seconds to wake, and nothing here should fail for being slow.
DEADLINE_SECONDS = 120.0
POLL_SECONDS = 0.25
TERMINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled", "expired"})


class DemoError(Exception):
    """A step did not go as the story says; the message says which and what came instead, in one line."""


def require(condition: bool, message: str) -> None:
    if not condition:
        raise DemoError(message)


async def until(check: Callable[[], Awaitable[T | None]], what: str) -> T:
    """Polls `check` until it returns something; the deadline guards against a hang, never paces the story."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE_SECONDS
    while True:
        result = await check()
        if result is not None:
            return result
        if loop.time() > deadline:
            raise DemoError(f"gave up after {DEADLINE_SECONDS:.0f} s waiting for {what}")
        await asyncio.sleep(POLL_SECONDS)


class Gateway:
    def __init__(self, http: httpx.AsyncClient, api_key: str, say: Narrator) -> None:
        self.http = http
        self.headers = {"Authorization": f"Bearer {api_key}"}
        self.say = say

    async def call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, Any] | None = None,
        expect: int = 200,
        quiet: bool = False,
    ) -> dict[str, Any]:
        shown_path = f"{path}?{httpx.QueryParams(params)}" if params else path
        if not quiet:
            self.say.request(method, shown_path, body)
        try:
            response = await self.http.request(method, path, json=body, params=params, headers=self.headers)
        except httpx.HTTPError as exc:
            raise DemoError(f"{method} {shown_path} failed: {exc!r}") from exc
        if response.status_code != expect:
            raise DemoError(
                f"{method} {shown_path} answered {response.status_code} where {expect} was expected: "
                f"{response.text[:500]}"
            )
        if not quiet:
            self.say.answer(response.status_code, response.reason_phrase)
        answer: dict[str, Any] = response.json()
        return answer

    async def get(self, path: str, *, params: dict[str, Any] | None = None, quiet: bool = False) -> dict[str, Any]:
        return await self.call("GET", path, params=params, quiet=quiet)

    async def every(
        self, path: str, params: dict[str, Any] | None = None, *, quiet: bool = False
    ) -> list[dict[str, Any]]:
        """All pages of a list."""
        if not quiet:
            self.say.request("GET", f"{path}?{httpx.QueryParams(params)}" if params else path)
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            query = {**(params or {}), "limit": 100, **({"cursor": cursor} if cursor else {})}
            page = await self.get(path, params=query, quiet=True)
            items += page["data"]
            cursor = page.get("next_cursor")
            if not cursor:
                if not quiet:
                    self.say.answer(200, f"OK ({len(items)} in all)")
                return items

    async def command(self, device_id: str, name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Sends a command and follows it to its end, showing each status it goes through."""
        body = {"command": name, "params": params or {}}
        queued = await self.call("POST", f"/v1/devices/{device_id}/commands", body, expect=202)
        self.say.fact("command", f"{queued['id']} {queued['status']}")
        seen = [queued["status"]]

        async def finished() -> dict[str, Any] | None:
            current = await self.get(f"/v1/commands/{queued['id']}", quiet=True)
            if current["status"] != seen[-1]:
                seen.append(current["status"])
            return current if current["status"] in TERMINAL_STATUSES else None

        self.say.request("GET", f"/v1/commands/{queued['id']}", None)
        self.say.note("polled until the command ends")
        done = await until(finished, f"{name} to end")
        self.say.fact("statuses", " → ".join(seen))
        self.say.fact("attempts", done["attempts"])
        return done
