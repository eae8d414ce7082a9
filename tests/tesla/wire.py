"""The simulator behind a man in the middle on the `signed_command` wire.

The simulator's injected faults answer with a fixed body, so they cannot forge a reply that echoes the uuid of a
request not yet sent. `OnTheWire` can: it records every real exchange and lets a test answer a request itself
(the request then never reaches the simulator) — a replayed reply, a fault, or a downgraded reply, as a hostile
or broken link could deliver them.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
from fastapi import FastAPI
from tesla_protocol.command import universal_message_pb2 as um

from fleetgate.protocol.messages import decode_routable, encode_routable

Intercept = Callable[[um.RoutableMessage], um.RoutableMessage | None]


class OnTheWire(httpx.AsyncBaseTransport):
    def __init__(self, app: FastAPI) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.exchanges: list[tuple[um.RoutableMessage, um.RoutableMessage]] = []
        self.intercept: Intercept | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.endswith("/signed_command"):
            return await self.inner.handle_async_request(request)
        sent = decode_routable(json.loads(request.content)["routable_message"])
        forged = self.intercept(sent) if self.intercept is not None else None
        if forged is not None:
            return httpx.Response(200, json={"response": encode_routable(forged)})
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        if response.status_code == 200:
            self.exchanges.append((sent, decode_routable(json.loads(body)["response"])))
        return httpx.Response(response.status_code, headers=response.headers, content=body)


def commands_only(answer: Callable[[um.RoutableMessage], um.RoutableMessage]) -> Intercept:
    """Answers signed commands with `answer`; handshakes go through to the car."""
    return lambda sent: answer(sent) if sent.HasField("protobuf_message_as_bytes") else None


def addressed_to(sent: um.RoutableMessage) -> um.RoutableMessage:
    reply = um.RoutableMessage()
    reply.to_destination.routing_address = sent.from_destination.routing_address
    reply.from_destination.domain = sent.to_destination.domain
    reply.request_uuid = sent.uuid
    return reply


def fault(code: int) -> Callable[[um.RoutableMessage], um.RoutableMessage]:
    def answer(sent: um.RoutableMessage) -> um.RoutableMessage:
        reply = addressed_to(sent)
        reply.signedMessageStatus.operation_status = um.OPERATIONSTATUS_ERROR
        reply.signedMessageStatus.signed_message_fault = code  # type: ignore[assignment]
        return reply

    return answer
