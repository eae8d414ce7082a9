"""Public ids: a type prefix and 96 random bits, so an id says what it is and cannot be enumerated."""

from __future__ import annotations

import secrets


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"
