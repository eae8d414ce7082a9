"""The application's P-256 key pair: commands are signed with it; vehicles whitelist its public half."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from fleetgate.protocol.keys import KeyFormatError, generate_private_key, load_private_key_pem, private_key_pem

PUBLIC_KEY_PATH = "/.well-known/appspecific/com.tesla.3p.public-key.pem"


class KeyUnavailable(Exception):
    pass


def write_new_key(path: Path, *, overwrite: bool = False) -> ec.EllipticCurvePrivateKey:
    """Creates the key file readable by its owner only; refuses to replace a key that vehicles may have paired."""
    key = generate_private_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: the existence check and the creation are one step, so a key appearing meanwhile is not clobbered.
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError as exc:
        raise FileExistsError(f"{path} exists; vehicles paired with it would stop accepting commands") from exc
    with os.fdopen(descriptor, "wb") as handle:
        # The mode given to open() applies only to a new file; a replaced one keeps its old mode otherwise.
        os.fchmod(handle.fileno(), 0o600)
        handle.write(private_key_pem(key))
    return key


def load_app_key(*, pem: str | None, path: Path) -> ec.EllipticCurvePrivateKey:
    """From the `private_key_pem` setting when given, else from the file."""
    try:
        if pem:
            return load_private_key_pem(pem)
        return load_private_key_pem(path.read_bytes())
    except FileNotFoundError as exc:
        raise KeyUnavailable(f"no key at {path}; create one with `fleetgate keys generate`") from exc
    except KeyFormatError as exc:
        raise KeyUnavailable(f"the configured key is not usable: {exc}") from exc
