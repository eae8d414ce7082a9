"""Tesla.SS256: Schnorr signatures over P-256 with SHA-256, as vehicle-command signs messages for a whole fleet.

A signature is `V || r` (96 bytes): the public nonce `V = vG` as X and Y (32 bytes each, no 0x04 prefix) and the
scalar `r = v - a·c mod n`, where `a` is the signer's private scalar and `c` the challenge, SHA-256 over the
generator, `V`, the signer's public key and the message, each prefixed with its length as four big-endian bytes.
The nonce `v` is deterministic (RFC 6979 with HMAC-SHA256), so the same key and message always give the same
signature. A verifier checks that `c·A + r·G == V`.

`cryptography` does the curve work it exposes (multiples of the generator, checking a public key); adding points
and multiplying someone else's point by a scalar, which it does not expose, are done here in integers.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives.asymmetric import ec

from fleetgate.protocol.keys import CURVE, KeyFormatError, public_key_bytes, public_key_from_bytes

SCALAR_LENGTH = 32
SIGNATURE_LENGTH = 3 * SCALAR_LENGTH

# P-256's domain parameters (FIPS 186-4, D.1.2.3).
P = 0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
A = P - 3
GX = 0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296
GY = 0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5

Point = tuple[int, int] | None  # affine coordinates; None is the point at infinity


class InvalidSignature(ValueError):
    pass


class InvalidPublicKey(ValueError):
    pass


def _encode(point: tuple[int, int]) -> bytes:
    return b"\x04" + point[0].to_bytes(SCALAR_LENGTH, "big") + point[1].to_bytes(SCALAR_LENGTH, "big")


GENERATOR = _encode((GX, GY))


def _length_prefixed(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def challenge(public_nonce: bytes, public_key: bytes, message: bytes) -> bytes:
    parts = (GENERATOR, public_nonce, public_key, message)
    return hashlib.sha256(b"".join(_length_prefixed(part) for part in parts)).digest()


def deterministic_nonce(scalar: bytes, message_hash: bytes) -> bytes:
    """RFC 6979 section 3.2 for P-256 and SHA-256 only, where the hash and the order have the same length."""
    h1 = (int.from_bytes(message_hash, "big") % N).to_bytes(SCALAR_LENGTH, "big")
    k = b"\x00" * 32
    v = b"\x01" * 32
    k = hmac.digest(k, v + b"\x00" + scalar + h1, "sha256")
    v = hmac.digest(k, v, "sha256")
    k = hmac.digest(k, v + b"\x01" + scalar + h1, "sha256")
    v = hmac.digest(k, v, "sha256")
    while True:
        v = hmac.digest(k, v, "sha256")
        if 0 < int.from_bytes(v, "big") < N:
            return v
        k = hmac.digest(k, v + b"\x00", "sha256")
        v = hmac.digest(k, v, "sha256")


def _base_multiple(scalar: int) -> Point:
    scalar %= N
    if scalar == 0:
        return None
    numbers = ec.derive_private_key(scalar, CURVE).public_key().public_numbers()
    return numbers.x, numbers.y


def _add(p: Point, q: Point) -> Point:
    if p is None:
        return q
    if q is None:
        return p
    (x1, y1), (x2, y2) = p, q
    if x1 == x2:
        if (y1 + y2) % P == 0:
            return None
        slope = (3 * x1 * x1 + A) * pow(2 * y1, -1, P) % P
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, P) % P
    x3 = (slope * slope - x1 - x2) % P
    return x3, (slope * (x1 - x3) - y1) % P


def _multiple(point: Point, scalar: int) -> Point:
    result: Point = None
    addend = point
    scalar %= N
    while scalar:
        if scalar & 1:
            result = _add(result, addend)
        addend = _add(addend, addend)
        scalar >>= 1
    return result


def sign(private_key: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    a = private_key.private_numbers().private_value
    scalar = a.to_bytes(SCALAR_LENGTH, "big")
    nonce = int.from_bytes(deterministic_nonce(scalar, hashlib.sha256(message).digest()), "big")
    public_nonce = public_key_bytes(ec.derive_private_key(nonce, CURVE))
    c = int.from_bytes(challenge(public_nonce, public_key_bytes(private_key), message), "big")
    r = (nonce - a * c) % N
    return public_nonce[1:] + r.to_bytes(SCALAR_LENGTH, "big")


def verify(public_key: bytes, message: bytes, signature: bytes) -> None:
    """`public_key` is the signer's 65-byte uncompressed point; raises unless `signature` is theirs for `message`."""
    try:
        numbers = public_key_from_bytes(public_key).public_numbers()
    except KeyFormatError as exc:
        raise InvalidPublicKey("invalid public key") from exc
    if len(signature) != SIGNATURE_LENGTH:
        raise InvalidSignature("invalid signature")
    nonce_x = int.from_bytes(signature[:SCALAR_LENGTH], "big")
    nonce_y = int.from_bytes(signature[SCALAR_LENGTH : 2 * SCALAR_LENGTH], "big")
    r = int.from_bytes(signature[2 * SCALAR_LENGTH :], "big")
    c = int.from_bytes(challenge(b"\x04" + signature[: 2 * SCALAR_LENGTH], public_key, message), "big")
    expected = _add(_multiple((numbers.x, numbers.y), c), _base_multiple(r))
    if expected != (nonce_x, nonce_y):
        raise InvalidSignature("invalid signature")
