"""One car's WebSocket to one receiver: opened as a car opens it, frames out, acks in."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import uuid
from collections.abc import Callable

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, WebSocketException

from fleetgate.protocol.telemetry.envelope import MalformedFrame, StreamAck, decode_frame, format_error_of

NETWORK_INTERFACE = "wifi"
OPEN_TIMEOUT_SECONDS = 10.0
# Tesla's server refuses a message over 1 MB.
MAX_FRAME_BYTES = 1024 * 1024

# What a failed connection attempt may raise: the network, TLS, or the WebSocket handshake.
CONNECT_ERRORS = (OSError, TimeoutError, WebSocketException)


class ReceiverLink:
    """A connected socket; `on_ack` hears each acked txid, `on_reply_error` each txid the receiver refused."""

    def __init__(
        self,
        socket: ClientConnection,
        on_ack: Callable[[bytes], None],
        on_reply_error: Callable[[bytes, str], None],
    ) -> None:
        self._socket = socket
        self._on_ack = on_ack
        self._on_reply_error = on_reply_error
        self._reader = asyncio.create_task(self._read(), name="telemetry-acks")

    @classmethod
    async def open(
        cls,
        *,
        hostname: str,
        port: int,
        context: ssl.SSLContext,
        firmware: str,
        on_ack: Callable[[bytes], None],
        on_reply_error: Callable[[bytes, str], None],
    ) -> ReceiverLink:
        socket = await connect(
            f"wss://{hostname}:{port}/",
            ssl=context,
            additional_headers={
                "Version": firmware,
                "X-Network-Interface": NETWORK_INTERFACE,
                "X-TXID": str(uuid.uuid4()),
            },
            proxy=None,
            compression=None,
            open_timeout=OPEN_TIMEOUT_SECONDS,
            max_size=MAX_FRAME_BYTES,
        )
        return cls(socket, on_ack, on_reply_error)

    @property
    def open_now(self) -> bool:
        return not self._reader.done()

    async def send(self, frame: bytes) -> bool:
        """False when the socket is gone; the caller reconnects later."""
        try:
            await self._socket.send(frame)
        except ConnectionClosed:
            return False
        return True

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self._socket.close()

    async def _read(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for frame in self._socket:
                if isinstance(frame, str):
                    continue
                try:
                    message = decode_frame(frame)
                except MalformedFrame:
                    continue
                if isinstance(message, StreamAck):
                    self._on_ack(message.txid)
                    continue
                refusal = format_error_of(message)
                if refusal is not None:
                    self._on_reply_error(refusal.txid, refusal.reason)
