"""P-256 keys as the protocol carries them: 65-byte uncompressed points, PEM files for humans."""

from __future__ import annotations

import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

CURVE = ec.SECP256R1()
PUBLIC_KEY_LENGTH = 65


class KeyFormatError(ValueError):
    pass


def generate_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(CURVE)


def private_key_from_seed(seed: bytes) -> ec.EllipticCurvePrivateKey:
    """A deterministic key, for a simulator that must replay the same world from the same seed."""
    order = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
    value = int.from_bytes(seed, "big") % (order - 1) + 1
    return ec.derive_private_key(value, CURVE)


def random_private_key() -> ec.EllipticCurvePrivateKey:
    return private_key_from_seed(secrets.token_bytes(40))


def load_private_key_pem(pem: bytes | str) -> ec.EllipticCurvePrivateKey:
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFormatError(f"not a PEM private key: {exc}") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != CURVE.name:
        raise KeyFormatError("the Vehicle Command Protocol needs a prime256v1 (P-256) key")
    return key


def private_key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def public_key_bytes(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> bytes:
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def public_key_pem(key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey) -> bytes:
    public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def public_key_from_bytes(data: bytes) -> ec.EllipticCurvePublicKey:
    if len(data) != PUBLIC_KEY_LENGTH or data[0] != 0x04:
        raise KeyFormatError("expected a 65-byte uncompressed P-256 point (0x04 || X || Y)")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(CURVE, data)
    except ValueError as exc:
        raise KeyFormatError(f"not a point on P-256: {exc}") from exc


def public_key_from_text(text: str) -> bytes:
    """Accepts a PEM public key or the hex of an uncompressed point; returns the 65-byte point."""
    stripped = text.strip()
    if stripped.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(stripped.encode())
        except ValueError as exc:
            raise KeyFormatError(f"not a PEM public key: {exc}") from exc
        if not isinstance(key, ec.EllipticCurvePublicKey) or key.curve.name != CURVE.name:
            raise KeyFormatError("the Vehicle Command Protocol needs a prime256v1 (P-256) key")
        return public_key_bytes(key)
    try:
        raw = bytes.fromhex(stripped)
    except ValueError as exc:
        raise KeyFormatError("expected a PEM public key or the hex of an uncompressed point") from exc
    public_key_from_bytes(raw)
    return raw
