"""Messages signed once for a whole fleet: a compact JWS whose `alg` is Tesla.SS256 (see `schnorr.py`).

This is how a Fleet Telemetry configuration reaches Tesla (`fleet_telemetry_config_jws`). As vehicle-command's
`SignMessageForFleet` makes it: the header is `{"alg":"Tesla.SS256","typ":"JWT"}`; `iss` is the signer's
uncompressed public key in standard base64 (with padding), `aud` is `com.tesla.fleet.<app>`, both overwriting
whatever the claims held; the three parts are unpadded base64url. JSON is written as Go writes it (keys sorted, no
spaces, `<`, `>` and `&` escaped), so that a token made here is byte for byte the one Tesla's tools make.

Verification checks the format, the algorithm, the audience, the issuer and the signature; the claims' own
meaning (`exp` among them) is the caller's to judge.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from fleetgate.protocol.keys import public_key_bytes
from fleetgate.protocol.telemetry import schnorr

ALGORITHM = "Tesla.SS256"
TELEMETRY_APP = "TelemetryClient"
_HEADER = {"alg": ALGORITHM, "typ": "JWT"}
_GO_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class InvalidFleetMessage(ValueError):
    """The token is not a fleet message this key signed for this app; the message says which check failed."""


def fleet_audience(app: str = TELEMETRY_APP) -> str:
    return f"com.tesla.fleet.{app}"


def issuer(public_key: ec.EllipticCurvePublicKey) -> str:
    return base64.b64encode(public_key_bytes(public_key)).decode()


def _go_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).translate(_GO_ESCAPES).encode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    if "=" in text:
        raise InvalidFleetMessage("token is malformed: padded base64")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InvalidFleetMessage("token is malformed: bad base64") from exc


def sign_fleet_message(
    private_key: ec.EllipticCurvePrivateKey, claims: Mapping[str, Any], app: str = TELEMETRY_APP
) -> str:
    body = {**claims, "iss": issuer(private_key.public_key()), "aud": fleet_audience(app)}
    signing_input = f"{_b64url(_go_json(_HEADER))}.{_b64url(_go_json(body))}"
    signature = schnorr.sign(private_key, signing_input.encode())
    return f"{signing_input}.{_b64url(signature)}"


def _json_object(part: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_unb64url(part))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidFleetMessage(f"token is malformed: {what} is not JSON") from exc
    if not isinstance(value, dict):
        raise InvalidFleetMessage(f"token is malformed: {what} is not an object")
    return value


def read_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The header and claims, for a verifier that must find the key first (by `iss`) before checking it."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidFleetMessage("token is malformed: token contains an invalid number of segments")
    return _json_object(parts[0], "header"), _json_object(parts[1], "claims")


def verify_fleet_message(token: str, public_key: ec.EllipticCurvePublicKey, app: str = TELEMETRY_APP) -> dict[str, Any]:
    header, claims = read_unverified(token)
    if header.get("alg") != ALGORITHM:
        raise InvalidFleetMessage(f"signing method {header.get('alg')} is invalid")
    if claims.get("aud") != fleet_audience(app):
        raise InvalidFleetMessage("token has invalid audience")
    if claims.get("iss") != issuer(public_key):
        raise InvalidFleetMessage("token has invalid issuer")
    signing_input, _, signature = token.rpartition(".")
    try:
        schnorr.verify(public_key_bytes(public_key), signing_input.encode(), _unb64url(signature))
    except schnorr.InvalidSignature as exc:
        raise InvalidFleetMessage("token signature is invalid: invalid signature") from exc
    return claims
