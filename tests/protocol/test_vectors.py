"""Tesla's published test vectors, reproduced by the shared protocol primitives."""

import dataclasses
import json
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from tesla_protocol.command import signatures_pb2 as sig

from fleetgate.protocol.authentication import (
    CommandAuth,
    gcm_request_decrypt,
    session_info_metadata,
    session_info_tag,
)
from fleetgate.protocol.crypto import session_info_key, shared_key
from fleetgate.protocol.keys import load_private_key_pem, public_key_bytes

# Tesla's published vectors (teslamotors/vehicle-command, pkg/protocol/protocol.md), as the file's `source` says.
VECTORS_PATH = Path(__file__).with_name("vehicle-command-test-vectors.json")


@pytest.fixture(scope="module")
def vectors() -> dict:
    return json.loads(VECTORS_PATH.read_text())


@pytest.fixture(scope="module")
def k(vectors: dict) -> bytes:
    client = load_private_key_pem(vectors["client_private_key_pem"])
    vehicle = load_private_key_pem(vectors["vehicle_private_key_pem"])
    return shared_key(client, public_key_bytes(vehicle))


def test_both_sides_derive_the_published_shared_key(vectors: dict, k: bytes) -> None:
    client = load_private_key_pem(vectors["client_private_key_pem"])
    vehicle = load_private_key_pem(vectors["vehicle_private_key_pem"])
    assert k.hex() == vectors["shared_key_K_hex"]
    assert shared_key(vehicle, public_key_bytes(client)) == k


def test_session_info_key(vectors: dict, k: bytes) -> None:
    assert session_info_key(k).hex() == vectors["session_info_key_hex"]


def test_session_info_metadata(vectors: dict) -> None:
    challenge = bytes.fromhex(vectors["session_info_challenge_hex"])
    assert session_info_metadata(vectors["vin"], challenge).hex() == vectors["session_info_metadata_hex"]


def test_session_info_bytes_decode_to_published_fields(vectors: dict) -> None:
    info = sig.SessionInfo()
    info.ParseFromString(bytes.fromhex(vectors["session_info_bytes_hex"]))
    vehicle = load_private_key_pem(vectors["vehicle_private_key_pem"])
    assert info.counter == vectors["session_info_fields"]["counter"]
    assert info.clock_time == vectors["session_info_fields"]["clock_time"]
    assert info.epoch.hex() == vectors["session_info_fields"]["epoch_hex"]
    assert info.publicKey == public_key_bytes(vehicle)


def test_session_info_tag(vectors: dict, k: bytes) -> None:
    tag = session_info_tag(
        k,
        vectors["vin"],
        bytes.fromhex(vectors["session_info_challenge_hex"]),
        bytes.fromhex(vectors["session_info_bytes_hex"]),
    )
    assert tag.hex() == vectors["session_info_tag_hex"]


def _gcm_auth(vectors: dict) -> CommandAuth:
    request = vectors["aes_gcm_request"]
    return CommandAuth(
        signature_type=sig.SIGNATURE_TYPE_AES_GCM_PERSONALIZED,
        domain=request["domain"],
        vin=vectors["vin"],
        epoch=bytes.fromhex(vectors["session_info_fields"]["epoch_hex"]),
        expires_at=request["expires_at"],
        counter=request["counter"],
    )


def test_command_metadata(vectors: dict) -> None:
    assert _gcm_auth(vectors).metadata().hex() == vectors["aes_gcm_request"]["metadata_hex"]


def test_aes_gcm_request_decrypts_to_published_plaintext(vectors: dict, k: bytes) -> None:
    request = vectors["aes_gcm_request"]
    plaintext = gcm_request_decrypt(
        k,
        _gcm_auth(vectors),
        bytes.fromhex(request["nonce_hex"]),
        bytes.fromhex(request["ciphertext_hex"]),
        bytes.fromhex(request["tag_hex"]),
    )
    assert plaintext.hex() == request["plaintext_hex"]


def test_aes_gcm_request_with_altered_metadata_is_rejected(vectors: dict, k: bytes) -> None:
    request = vectors["aes_gcm_request"]
    auth = _gcm_auth(vectors)
    altered = dataclasses.replace(auth, counter=auth.counter + 1)
    with pytest.raises(InvalidTag):
        gcm_request_decrypt(
            k,
            altered,
            bytes.fromhex(request["nonce_hex"]),
            bytes.fromhex(request["ciphertext_hex"]),
            bytes.fromhex(request["tag_hex"]),
        )
