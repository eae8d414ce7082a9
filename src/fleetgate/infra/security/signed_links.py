"""Links given to end users that carry their own authority: a subject, an expiry and an HMAC over both.

The HMAC key is derived from the encryption key (HKDF, its own purpose), so no second secret has to be configured and
a link signed for one purpose does not verify for another. The expiry is whole days, so the same link is given out
all day: an application may show it, store it or compare it without it changing under every read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SIGNATURE_BYTES = 16
DAY = 86_400


class LinkSigner:
    def __init__(self, key: bytes) -> None:
        self._key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"fleetgate signed links").derive(key)

    def sign(self, purpose: str, subject: str, expires: int) -> str:
        return f"{subject}.{expires}.{self._signature(purpose, subject, expires)}"

    def verify(self, purpose: str, token: str, now: datetime) -> str | None:
        """The subject, or None when the token is forged, damaged or past its expiry."""
        subject, _, rest = token.partition(".")
        expires_text, _, signature = rest.partition(".")
        if not subject or not expires_text.isdigit() or len(token) > 300:
            return None
        expires = int(expires_text)
        if not hmac.compare_digest(signature, self._signature(purpose, subject, expires)):
            return None
        return subject if now.timestamp() < expires else None

    def _signature(self, purpose: str, subject: str, expires: int) -> str:
        mac = hmac.new(self._key, f"{purpose}\n{subject}\n{expires}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:SIGNATURE_BYTES]).decode().rstrip("=")


def expiry_in_days(now: datetime, days: int) -> int:
    """The end of the UTC day `days` days from now: valid at least `days` days, the same value all day."""
    start_of_day = int(now.timestamp()) // DAY * DAY
    return start_of_day + int(timedelta(days=days + 1).total_seconds())
