"""API keys: `fg_<id>_<secret>`, shown once, stored as SHA-256 of the whole key.

The secret has 256 bits of entropy, so a fast hash is enough: nobody can guess a preimage, and lookups stay one
indexed query per request.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

PREFIX = "fg_"


@dataclass(frozen=True, slots=True)
class NewApiKey:
    key: str
    prefix: str  # shown in listings to tell keys apart
    key_hash: str


def new_api_key() -> NewApiKey:
    key_id = secrets.token_hex(4)
    key = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    return NewApiKey(key=key, prefix=f"{PREFIX}{key_id}", key_hash=hash_api_key(key))


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_api_key(value: str) -> bool:
    return value.startswith(PREFIX) and len(value) > 20
