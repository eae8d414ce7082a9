"""Refuses request bodies over `max_request_bytes` with 413, before authentication and before anything parses them.

Plain ASGI, so it sees the body as it arrives: a `Content-Length` over the limit is refused without reading a byte,
and a body without one (chunked) is counted chunk by chunk and cut off once it passes the limit, so at most the
limit (and one chunk) is ever held.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fleetgate.infra.errors import APIError


class RequestTooLarge(APIError):
    status = 413
    code = "request_too_large"


class _BodyOverLimit(Exception):
    pass


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self.refuse(scope, send)
            return
        received = 0
        over = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    over = True
                    raise _BodyOverLimit()
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            # Whatever the app makes of the cut-off body (a parse error, say), the client is told why.
            if over and not started:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            # The cut-off body may come back as another exception, depending on who was reading it.
            if not over:
                raise
        if over and not started:
            await self.refuse(scope, send)
        elif over:
            raise RuntimeError("the request body passed the limit after the response had started")

    async def refuse(self, scope: Scope, send: Send) -> None:
        error = RequestTooLarge(
            f"The request body is larger than {self.max_bytes} bytes.",
            remedy={"action": "fix_request", "max_bytes": self.max_bytes},
        )
        request_id = str(scope.get("state", {}).get("request_id", ""))
        response = JSONResponse(error.body(request_id), status_code=error.status, headers={"Connection": "close"})

        async def no_body() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, no_body, send)
