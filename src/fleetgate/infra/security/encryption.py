"""Secrets at rest (OAuth tokens, PKCE verifiers): AES-256-GCM, versioned, bound to the row they belong to.

Format: `v1.<base64url(nonce ‖ ciphertext ‖ tag)>`. The associated data names the owner (e.g. a connection id and
the field), so a ciphertext copied into another row or column does not decrypt.
"""

from __future__ import annotations

import base64
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
NONCE_LENGTH = 12


class DecryptionError(Exception):
    pass


class Encryptor:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the encryption key must be 32 bytes")
        self._aead = AESGCM(key)

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = secrets.token_bytes(NONCE_LENGTH)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return f"{VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, context: str) -> str:
        version, _, body = token.partition(".")
        if version != VERSION:
            raise DecryptionError(f"unknown encryption format {version!r}")
        try:
            raw = base64.urlsafe_b64decode(body)
            return self._aead.decrypt(raw[:NONCE_LENGTH], raw[NONCE_LENGTH:], context.encode()).decode()
        except (InvalidTag, ValueError) as exc:
            raise DecryptionError("the value does not decrypt with this key and context") from exc
