"""Tesla.SS256 and the fleet JWS: Tesla's vectors reproduced, round trips, and every way a token is refused."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from fleetgate.protocol.keys import CURVE, public_key_bytes, public_key_from_bytes, random_private_key
from fleetgate.protocol.telemetry import schnorr
from fleetgate.protocol.telemetry.jws import (
    InvalidFleetMessage,
    read_unverified,
    sign_fleet_message,
    verify_fleet_message,
)

VECTORS = json.loads(Path(__file__).with_name("tesla-ss256-vectors.json").read_text())


def key_from_hex(scalar: str) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int(scalar, 16), CURVE)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 1]) + data[index + 1 :]


class TestSchnorrVectors:
    vector = VECTORS["schnorr"]

    def test_signs_exactly_as_tesla(self) -> None:
        key = key_from_hex(self.vector["private_scalar"])
        assert schnorr.sign(key, self.vector["message"].encode()).hex() == self.vector["signature"]

    def test_verifies_teslas_signature(self) -> None:
        public = public_key_bytes(key_from_hex(self.vector["private_scalar"]))
        schnorr.verify(public, self.vector["message"].encode(), bytes.fromhex(self.vector["signature"]))

    def test_another_message_is_refused(self) -> None:
        public = public_key_bytes(key_from_hex(self.vector["private_scalar"]))
        with pytest.raises(schnorr.InvalidSignature):
            schnorr.verify(public, b"iello world", bytes.fromhex(self.vector["signature"]))

    def test_another_key_is_refused(self) -> None:
        public = public_key_bytes(key_from_hex(self.vector["other_private_scalar"]))
        with pytest.raises(schnorr.InvalidSignature):
            schnorr.verify(public, self.vector["message"].encode(), bytes.fromhex(self.vector["signature"]))

    @pytest.mark.parametrize("index", [0, 32, 95])
    def test_a_changed_byte_is_refused(self, index: int) -> None:
        public = public_key_bytes(key_from_hex(self.vector["private_scalar"]))
        signature = flip(bytes.fromhex(self.vector["signature"]), index)
        with pytest.raises(schnorr.InvalidSignature):
            schnorr.verify(public, self.vector["message"].encode(), signature)

    def test_a_short_signature_is_refused(self) -> None:
        public = public_key_bytes(key_from_hex(self.vector["private_scalar"]))
        with pytest.raises(schnorr.InvalidSignature):
            schnorr.verify(public, self.vector["message"].encode(), bytes.fromhex(self.vector["signature"])[:-1])

    @pytest.mark.parametrize("public", ["not on the curve", "zero point"])
    def test_a_bad_public_key_is_refused(self, public: str) -> None:
        good = public_key_bytes(key_from_hex(self.vector["private_scalar"]))
        key = flip(good, 0) if public == "not on the curve" else b"\x04" + bytes(64)
        with pytest.raises(schnorr.InvalidPublicKey):
            schnorr.verify(key, self.vector["message"].encode(), bytes.fromhex(self.vector["signature"]))


class TestDeterministicNonce:
    def test_rfc6979_vector(self) -> None:
        vector = VECTORS["nonce_rfc6979_a_2_5"]
        digest = hashlib.sha256(vector["message"].encode()).digest()
        nonce = schnorr.deterministic_nonce(bytes.fromhex(vector["private_scalar"]), digest)
        assert nonce.hex() == vector["nonce"]

    def test_a_candidate_over_the_order_is_drawn_again(self) -> None:
        vector = VECTORS["nonce_rejection_sampling"]
        nonce = schnorr.deterministic_nonce(
            bytes.fromhex(vector["private_scalar"]), bytes.fromhex(vector["message_hash"])
        )
        assert nonce.hex() == vector["nonce"]


class TestSchnorrRoundTrip:
    def test_random_keys_and_messages(self) -> None:
        for size in (0, 1, 100, 5000):
            key = random_private_key()
            message = bytes(range(256)) * (size // 256) + bytes(size % 256)
            schnorr.verify(public_key_bytes(key), message, schnorr.sign(key, message))

    def test_signing_is_deterministic(self) -> None:
        key = random_private_key()
        assert schnorr.sign(key, b"config") == schnorr.sign(key, b"config")


class TestTeslaToken:
    def test_verifies_teslas_token(self) -> None:
        vector = VECTORS["jwt"]
        header, claims = read_unverified(vector["token"])
        assert header == {"alg": "Tesla.SS256", "typ": "JWT"}
        assert claims["foo"] == vector["claims"]["foo"]
        public = bytes.fromhex(vector["public_key"])
        assert base64.b64decode(claims["iss"]) == public
        signing_input, _, signature = vector["token"].rpartition(".")
        schnorr.verify(public, signing_input.encode(), base64.urlsafe_b64decode(signature + "=="))

    def test_claims_are_written_as_go_writes_them(self) -> None:
        # The vector's claims part, rebuilt from its claims: sorted keys, no spaces, iss in padded base64.
        vector = VECTORS["jwt"]
        public = bytes.fromhex(vector["public_key"])
        claims = {**vector["claims"], "iss": base64.b64encode(public).decode()}
        body = json.dumps(claims, sort_keys=True, separators=(",", ":"))
        assert vector["token"].split(".")[1] == b64url(body.encode())


def config() -> dict[str, Any]:
    return {
        "hostname": "telemetry.example.com",
        "port": 4443,
        "ca": "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
        "fields": {"BatteryLevel": {"interval_seconds": 60}},
        "exp": 1_900_000_000,
    }


class TestSignFleetMessage:
    def test_round_trip(self) -> None:
        key = random_private_key()
        claims = verify_fleet_message(sign_fleet_message(key, config()), key.public_key())
        assert claims == {
            **config(),
            "aud": "com.tesla.fleet.TelemetryClient",
            "iss": base64.b64encode(public_key_bytes(key)).decode(),
        }

    def test_header_and_layout_are_teslas(self) -> None:
        token = sign_fleet_message(random_private_key(), {"b": 1, "a": "<&>"})
        header_part, claims_part, signature_part = token.split(".")
        assert header_part == b64url(b'{"alg":"Tesla.SS256","typ":"JWT"}')
        assert base64.urlsafe_b64decode(claims_part + "==").startswith(b'{"a":"\\u003c\\u0026\\u003e","aud":')
        assert "=" not in token
        assert len(base64.urlsafe_b64decode(signature_part + "==")) == 96

    def test_iss_and_aud_in_the_claims_are_overwritten(self) -> None:
        key = random_private_key()
        token = sign_fleet_message(key, {**config(), "iss": "someone", "aud": "elsewhere"}, app="Other")
        claims = verify_fleet_message(token, key.public_key(), app="Other")
        assert claims["aud"] == "com.tesla.fleet.Other"
        assert base64.b64decode(claims["iss"]) == public_key_bytes(key)

    def test_the_same_claims_give_the_same_token(self) -> None:
        key = random_private_key()
        assert sign_fleet_message(key, config()) == sign_fleet_message(key, dict(reversed(config().items())))


class TestVerifyFleetMessage:
    key = random_private_key()

    def refused(self, token: str, match: str, app: str = "TelemetryClient") -> None:
        with pytest.raises(InvalidFleetMessage, match=match):
            verify_fleet_message(token, self.key.public_key(), app)

    @pytest.mark.parametrize("token", ["", "a.b", "a.b.c.d", "!!.e30.AA", "e30.bm90IGpzb24.AA", "W10.e30.AA"])
    def test_malformed(self, token: str) -> None:
        self.refused(token, "malformed")

    def test_another_algorithm(self) -> None:
        _, claims, signature = sign_fleet_message(self.key, config()).split(".")
        header = b64url(b'{"alg":"ES256","typ":"JWT"}')
        self.refused(f"{header}.{claims}.{signature}", "signing method ES256 is invalid")

    def test_another_app(self) -> None:
        self.refused(sign_fleet_message(self.key, config(), app="Other"), "invalid audience")

    def test_another_signer(self) -> None:
        self.refused(sign_fleet_message(random_private_key(), config()), "invalid issuer")

    def test_changed_claims(self) -> None:
        header, claims, signature = sign_fleet_message(self.key, config()).split(".")
        body = json.loads(base64.urlsafe_b64decode(claims + "=="))
        body["port"] = 443
        forged = b64url(json.dumps(body, separators=(",", ":")).encode())
        self.refused(f"{header}.{forged}.{signature}", "signature is invalid")

    def test_changed_signature(self) -> None:
        header, claims, signature = sign_fleet_message(self.key, config()).split(".")
        raw = flip(base64.urlsafe_b64decode(signature + "=="), 95)
        self.refused(f"{header}.{claims}.{b64url(raw)}", "signature is invalid")

    def test_truncated_signature(self) -> None:
        token = sign_fleet_message(self.key, config())
        self.refused(token[:-4], "signature is invalid")

    def test_public_key_round_trip(self) -> None:
        public = public_key_from_bytes(public_key_bytes(self.key))
        assert verify_fleet_message(sign_fleet_message(self.key, config()), public)["port"] == 4443
