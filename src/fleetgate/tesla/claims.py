"""What an access token says about the user, read leniently.

The token comes straight from Tesla's token endpoint over TLS, so its claims are read without verifying the
signature. Unknown scopes are kept as strings: Tesla adds scopes, and a gateway that drops them would hide them.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from fleetgate.tesla.errors import AuthError


@dataclass(frozen=True, slots=True)
class AccessClaims:
    subject: str
    client_id: str | None
    scopes: tuple[str, ...]
    audience: tuple[str, ...]
    ou_code: str | None
    issued_at: int | None
    expires_at: int | None
    raw: dict[str, Any]


def _as_strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return ()


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def read_claims(access_token: str) -> AccessClaims:
    try:
        payload_b64 = access_token.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4)))
    except (IndexError, ValueError, binascii.Error) as exc:
        raise AuthError("the access token is not a JWT") from exc
    if not isinstance(payload, dict):
        raise AuthError("the access token's payload is not a JSON object")
    ou_code = payload.get("ou_code")
    return AccessClaims(
        subject=str(payload.get("sub", "")),
        client_id=str(payload["azp"]) if "azp" in payload else None,
        scopes=_as_strings(payload.get("scp", ())),
        audience=_as_strings(payload.get("aud", ())),
        ou_code=ou_code if isinstance(ou_code, str) else None,
        issued_at=_as_int(payload.get("iat")),
        expires_at=_as_int(payload.get("exp")),
        raw=payload,
    )
