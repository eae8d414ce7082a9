"""`Idempotency-Key` on the creating POSTs (connect sessions, commands, webhook endpoints): the same key and body give
the same object back; the same key with another body is refused rather than silently answered.

The key is stored on the created row with a hash of the request it came with, so a retry after a lost response is a
replay (200, the same object) and a reused key with another body is a 409. `create_once` is the one way these
routes create: two requests with the same key at the same moment both get the object the first one committed (the
database's unique index on the key decides which), never an error asking to retry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Header
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.infra.errors import IdempotencyConflict, ValidationFailed

MAX_KEY_LENGTH = 200

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Retrying with the same key and body answers the object the first request created (200), not a "
        "new one; the same key with another body is a 409",
    ),
]


class Keyed(Protocol):
    id: str
    idempotency_key: str | None
    request_hash: str | None


Row = TypeVar("Row", bound=Keyed)


def check_idempotency_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters (a UUID is a good choice).",
            field="Idempotency-Key",
        )


def fingerprint(request: dict[str, Any]) -> str:
    """The request as validated, defaults included: leaving out an optional field or sending its default is the same
    request."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(earlier: Row, request_hash: str, id_field: str) -> Row:
    """`earlier`, created with the same key, if it came from the same request; `id_field` names it in the 409."""
    if earlier.request_hash != request_hash:
        named: dict[str, Any] = {id_field: earlier.id}
        raise IdempotencyConflict(
            "This Idempotency-Key was already used with a different request.",
            remedy={"action": "use_new_idempotency_key"},
            **named,
        )
    return earlier


async def create_once(
    session: AsyncSession,
    key: str | None,
    request_hash: str,
    *,
    find: Callable[[str], Awaitable[Row | None]],
    build: Callable[[], Awaitable[Row]],
    id_field: str,
) -> tuple[Row, bool]:
    """The row `build` makes (its checks run only when nothing is replayed), inserted; or the one an earlier request
    with the same key created. And whether it is new. `find` looks a row up by key; `id_field` names it in a 409.

    `build` must not add its row to the session: the insert alone runs in a savepoint, so that the unique index
    refusing it leaves the request's transaction usable (and on SQLite the savepoint starts with its write)."""
    if key is not None:
        check_idempotency_key(key)
        earlier = await find(key)
        if earlier is not None:
            return replay(earlier, request_hash, id_field), False
    row = await build()
    if key is None:
        # A fresh id cannot collide: no savepoint (two more statements) needed.
        session.add(row)
        return row, True
    row.idempotency_key, row.request_hash = key, request_hash
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Another request with the same key committed first: its row is the answer.
        earlier = await find(key) if key is not None else None
        if earlier is None:
            raise
        return replay(earlier, request_hash, id_field), False
    return row, True
