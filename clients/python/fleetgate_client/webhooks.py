"""Verifying the webhooks fleetgate sends, signed per the Standard Webhooks specification.

Written by hand (the generator does not know webhooks) and kept in clients/python-extra, from where
`scripts/client` copies it into the generated package.

    event = verify_webhook(secret, request.headers, await request.body())

`secret` is the endpoint's `whsec_…` secret, shown once when the endpoint was created. Verify the body exactly as it
arrived (bytes), before parsing it: any change to it breaks the signature.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping

from .models.event_out import EventOut

SECRET_PREFIX = "whsec_"
# The specification's default: a delivery signed longer ago than this (or this far ahead) is refused as a replay.
DEFAULT_TOLERANCE_SECONDS = 5 * 60


class WebhookVerificationError(ValueError):
    """The delivery is not one fleetgate signed with this secret (or it is too old): do not act on it."""


def verify_webhook(
    secret: str,
    headers: Mapping[str, str],
    body: bytes | str,
    *,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> EventOut:
    """The event the delivery carries, once its `webhook-signature` is checked against `secret`, its id and its
    `webhook-timestamp` (seconds since the epoch, within `tolerance_seconds` of `now`); otherwise
    `WebhookVerificationError`. The event's `id` is the same on every retry: de-duplicate on it."""
    lowered = {name.lower(): value for name, value in headers.items()}
    try:
        message_id = lowered["webhook-id"]
        timestamp = lowered["webhook-timestamp"]
        signatures = lowered["webhook-signature"]
    except KeyError as missing:
        raise WebhookVerificationError(f"Missing the {missing.args[0]} header.") from None
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise WebhookVerificationError(f"webhook-timestamp is not a number: {timestamp!r}.") from None
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance_seconds:
        raise WebhookVerificationError("webhook-timestamp is too far from now: a replay, or a clock that is off.")

    text = body.decode() if isinstance(body, bytes) else body
    signed = f"{message_id}.{sent_at}.{text}".encode()
    expected = base64.b64encode(hmac.new(_key(secret), signed, hashlib.sha256).digest())
    for candidate in signatures.split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature.encode(), expected):
            break
    else:
        raise WebhookVerificationError("No signature matches: another secret, or a body changed on the way.")

    event = EventOut.from_dict(json.loads(text))
    if event.id != message_id:
        raise WebhookVerificationError("The body's event id is not the signed webhook-id.")
    return event


def _key(secret: str) -> bytes:
    try:
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error:
        raise WebhookVerificationError("The secret is not a whsec_ secret as fleetgate shows it.") from None
