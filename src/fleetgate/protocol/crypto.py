"""Key agreement and the MACs and ciphers of the protocol.

`K = SHA1(ECDH x-coordinate)[:16]` is the session key of one (client key, vehicle domain) pair. Every other key
is derived from it with HMAC-SHA256 and a fixed label.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fleetgate.protocol.keys import public_key_from_bytes

SESSION_INFO_LABEL = b"session info"
AUTHENTICATED_COMMAND_LABEL = b"authenticated command"
GCM_NONCE_LENGTH = 12
GCM_TAG_LENGTH = 16


def shared_key(private_key: ec.EllipticCurvePrivateKey, peer_public_key: bytes) -> bytes:
    secret = private_key.exchange(ec.ECDH(), public_key_from_bytes(peer_public_key))
    return hashlib.sha1(secret).digest()[:16]


def hmac_sha256(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def session_info_key(k: bytes) -> bytes:
    return hmac_sha256(k, SESSION_INFO_LABEL)


def command_hmac_key(k: bytes) -> bytes:
    return hmac_sha256(k, AUTHENTICATED_COMMAND_LABEL)


def tags_equal(a: bytes, b: bytes) -> bool:
    return hmac.compare_digest(a, b)


def random_nonce() -> bytes:
    return secrets.token_bytes(GCM_NONCE_LENGTH)


def gcm_encrypt(k: bytes, nonce: bytes, plaintext: bytes, aad_metadata: bytes) -> tuple[bytes, bytes]:
    """Returns (ciphertext, tag); the associated data is SHA-256 of the metadata, as the protocol defines."""
    sealed = AESGCM(k).encrypt(nonce, plaintext, hashlib.sha256(aad_metadata).digest())
    return sealed[:-GCM_TAG_LENGTH], sealed[-GCM_TAG_LENGTH:]


def gcm_decrypt(k: bytes, nonce: bytes, ciphertext: bytes, tag: bytes, aad_metadata: bytes) -> bytes:
    """Raises `cryptography.exceptions.InvalidTag` when the message was altered or the key is wrong."""
    return AESGCM(k).decrypt(nonce, ciphertext + tag, hashlib.sha256(aad_metadata).digest())
