"""An application's webhook receiver on a real loopback port: it verifies every delivery with the Standard Webhooks
library and the endpoint's secret, keeps what it got, and fails on request.

Each endpoint is a path (`/hooks/<name>`); `expect(name, secret)` gives it the secret to verify with, and
`fail(name, times)` makes its next `times` deliveries answer 500 (`times=None`: every one).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from tests.support.live import LiveServer, serve_in_thread

FAILURE_BODY = "receiver is down " * 200  # longer than the 1 KB the gateway keeps


@dataclass(frozen=True)
class Received:
    name: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int
    at: float  # monotonic, in the receiver

    @property
    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    server: LiveServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _secrets: dict[str, str] = field(default_factory=dict)
    _failures: dict[str, int | None] = field(default_factory=dict)
    _received: list[Received] = field(default_factory=list)

    def url(self, name: str) -> str:
        assert self.server is not None
        return f"{self.server.url}/hooks/{name}"

    def expect(self, name: str, secret: str) -> None:
        with self._lock:
            self._secrets[name] = secret

    def fail(self, name: str, times: int | None) -> None:
        with self._lock:
            self._failures[name] = times

    def received(self, name: str | None = None) -> list[Received]:
        with self._lock:
            return [item for item in self._received if name is None or item.name == name]

    async def handle(self, request: Request) -> PlainTextResponse:
        name = request.path_params["name"]
        body = await request.body()
        headers = {key.lower(): value for key, value in request.headers.items()}
        with self._lock:
            secret = self._secrets.get(name)
            verified = False
            if secret is not None:
                try:
                    Webhook(secret).verify(body, headers)
                    verified = True
                except WebhookVerificationError:
                    verified = False
            remaining = self._failures.get(name, 0)
            failing = remaining is None or remaining > 0
            if remaining:
                self._failures[name] = remaining - 1
            status = 500 if failing else (200 if verified else 401)
            self._received.append(Received(name, headers, body, verified, status, time.monotonic()))
        text = FAILURE_BODY if failing else ("ok" if verified else "bad signature")
        return PlainTextResponse(text, status_code=status)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/hooks/{name}", self.handle, methods=["POST"])])


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    with serve_in_thread(receiver.app()) as server:
        receiver.server = server
        yield receiver
