"""`Idempotency-Key` on `POST /v1/connect-sessions`: the same key and body give the same session back.

The key is stored on the session row with a hash of the body it came with, so a retry after a lost response is a
replay (200, same session) and a reused key with another body is refused rather than silently answered.
"""

from __future__ import annotations

import hashlib
import json

from fleetgate.connect.schemas import ConnectSessionIn
from fleetgate.errors import APIError, IdempotencyConflict, ValidationFailed
from fleetgate.models import ConnectSession

MAX_KEY_LENGTH = 200


class IdempotencyKeyInUse(APIError):
    status = 409
    code = "idempotency_key_in_use"


def check_idempotency_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters (a UUID is a good choice).",
            field="Idempotency-Key",
        )


def request_hash(body: ConnectSessionIn) -> str:
    # The validated body with its defaults: leaving out `require_all` or sending its default is the same request.
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def replay(earlier: ConnectSession, fingerprint: str) -> ConnectSession:
    if earlier.request_hash != fingerprint:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used with a different request body.",
            remedy={"action": "use_new_idempotency_key"},
            connect_session_id=earlier.id,
        )
    return earlier
