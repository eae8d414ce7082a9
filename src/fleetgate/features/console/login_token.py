"""The console's login cookie: the login's id (its row in `console_logins`, see `logins`), the API key's id, an
expiry and a CSRF secret, encrypted with the app's key.

The key itself never leaves the login form. The cookie is opaque to the browser (AES-GCM, bound to its purpose by
the associated data), so a page that can read it cannot forge one, and a form's CSRF token matches only the cookie
it was issued with.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from fleetgate.infra.security.encryption import DecryptionError, Encryptor

CONTEXT = "console_login"
LIFETIME = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class Login:
    login_id: str
    api_key_id: str
    expires_at: datetime
    csrf_token: str


def issue_login(encryptor: Encryptor, login_id: str, api_key_id: str, expires_at: datetime) -> str:
    login = Login(login_id, api_key_id, expires_at, secrets.token_urlsafe(24))
    payload = json.dumps(
        {"login": login_id, "key": api_key_id, "exp": login.expires_at.timestamp(), "csrf": login.csrf_token}
    )
    # No "=" padding: a cookie value with "=" would be sent quoted.
    return encryptor.encrypt(payload, context=CONTEXT).rstrip("=")


def read_login(encryptor: Encryptor, token: str, now: datetime) -> Login | None:
    """The login the cookie holds, or None when it is forged, damaged or expired."""
    if len(token) > 1000:
        return None
    try:
        version, _, body = token.partition(".")
        payload = json.loads(encryptor.decrypt(f"{version}.{body}{'=' * (-len(body) % 4)}", context=CONTEXT))
        login = Login(
            str(payload["login"]),
            str(payload["key"]),
            datetime.fromtimestamp(float(payload["exp"]), now.tzinfo),
            str(payload["csrf"]),
        )
    except (DecryptionError, ValueError, KeyError, TypeError, OverflowError):
        return None
    return login if now < login.expires_at else None
