"""Which message faults mean only that the client's session is stale.

A vehicle answers these with freshly tagged session info, and a client that adopts it may sign the command again.
"""

from __future__ import annotations

from tesla_protocol.command import universal_message_pb2 as um

SYNC_FAULTS = frozenset(
    {
        um.MESSAGEFAULT_ERROR_INVALID_SIGNATURE,
        um.MESSAGEFAULT_ERROR_INVALID_TOKEN_OR_COUNTER,
        um.MESSAGEFAULT_ERROR_BAD_PARAMETER,
        um.MESSAGEFAULT_ERROR_INCORRECT_EPOCH,
        um.MESSAGEFAULT_ERROR_TIME_EXPIRED,
        um.MESSAGEFAULT_ERROR_TIME_TO_LIVE_TOO_LONG,
    }
)
