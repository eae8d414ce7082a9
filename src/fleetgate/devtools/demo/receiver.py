"""The application's webhook receiver: a tiny server on a loopback port that checks each delivery's signature with
the Standard Webhooks library before trusting it, as an application should."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from standardwebhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from fleetgate.devtools.devserver.runner import bind_port, embedded_server, serve_on, until_started

PATH = "/webhooks/fleetgate"


@dataclass(frozen=True, slots=True)
class Received:
    event_id: str
    event_type: str
    verified: bool
    status: int


@dataclass
class Receiver:
    url: str = ""
    secret: str | None = None
    received: list[Received] = field(default_factory=list)

    async def handle(self, request: Request) -> PlainTextResponse:
        body = await request.body()
        headers = dict(request.headers)
        if self.secret is None:
            # The endpoint's secret is known once its creation answers; a delivery before that is retried.
            return self._keep(headers, body, verified=False, status=503)
        try:
            Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            return self._keep(headers, body, verified=False, status=401)
        return self._keep(headers, body, verified=True, status=200)

    def _keep(self, headers: dict[str, str], body: bytes, *, verified: bool, status: int) -> PlainTextResponse:
        try:
            event_type = str(json.loads(body).get("type", "?"))
        except (ValueError, AttributeError):
            event_type = "?"
        self.received.append(Received(headers.get("webhook-id", "?"), event_type, verified, status))
        return PlainTextResponse("ok" if verified else "not verified", status_code=status)

    def verified_ids(self) -> set[str]:
        return {item.event_id for item in self.received if item.verified}


@asynccontextmanager
async def running_receiver(host: str) -> AsyncIterator[Receiver]:
    receiver = Receiver()
    app = Starlette(routes=[Route(PATH, receiver.handle, methods=["POST"])])
    server = embedded_server(app)
    sock = bind_port(host, 0, "webhook receiver", "host")
    try:
        receiver.url = f"http://{host}:{sock.getsockname()[1]}{PATH}"
        task = asyncio.create_task(serve_on(server, sock, "webhook receiver"), name="the webhook receiver")
        try:
            await until_started({"receiver": server}, [task])
            yield receiver
        finally:
            server.should_exit = True
            await task
    finally:
        sock.close()
