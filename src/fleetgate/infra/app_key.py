"""The app's private key where the settings say it is, read the same way by the API, the workers and the command
line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fleetgate.tesla.keys import load_app_key

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

    from fleetgate.config import Settings


def configured_app_key(settings: Settings) -> ec.EllipticCurvePrivateKey:
    """The `private_key_pem` setting when given, else the file at `private_key_path`; `KeyUnavailable` when neither
    holds a usable key."""
    pem = settings.private_key_pem.get_secret_value() if settings.private_key_pem else None
    return load_app_key(pem=pem, path=settings.private_key_path)
