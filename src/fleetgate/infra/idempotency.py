"""`Idempotency-Key` on the creating POSTs (connect sessions, commands, webhook endpoints): the same key and body give
the same object back; the same key with another body is refused rather than silently answered.

The key is stored on the created row with a hash of the request it came with, so a retry after a lost response is a
replay (200, the same object) and a reused key with another body is a 409.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Header

from fleetgate.infra.errors import APIError, IdempotencyConflict, ValidationFailed

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
    request_hash: str | None


Row = TypeVar("Row", bound=Keyed)


class IdempotencyKeyInUse(APIError):
    status = 409
    code = "idempotency_key_in_use"


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
