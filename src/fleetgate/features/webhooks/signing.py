"""Signatures per the Standard Webhooks specification, made by its maintained library.

Each endpoint has its own secret: `whsec_` and the base64 of 32 random bytes, shown once (at creation) and kept
encrypted at rest, bound to its endpoint's row. Each attempt is signed anew with the time it is sent, so a
receiver that refuses old timestamps (the library's default tolerance is five minutes) still accepts a retry.
Receivers verify with the same library: `Webhook(secret).verify(body, headers)`.
"""

from __future__ import annotations

import base64
import math
import secrets
from datetime import datetime

from standardwebhooks import Webhook

from fleetgate.infra.security.encryption import Encryptor

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_context(endpoint_id: str) -> str:
    return f"webhook_endpoint:{endpoint_id}:secret"


def seal_secret(encryptor: Encryptor, endpoint_id: str, secret: str) -> str:
    return encryptor.encrypt(secret, context=secret_context(endpoint_id))


def open_secret(encryptor: Encryptor, endpoint_id: str, sealed: str) -> str:
    return encryptor.decrypt(sealed, context=secret_context(endpoint_id))


def signed_headers(secret: str, message_id: str, body: str, at: datetime) -> dict[str, str]:
    """The three headers of the specification. `message_id` is the event's id: the same on every retry."""
    signature = Webhook(secret).sign(message_id, at, body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(math.floor(at.timestamp())),
        "webhook-signature": signature,
    }
