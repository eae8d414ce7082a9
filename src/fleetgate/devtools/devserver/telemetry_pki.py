"""The telemetry receiver's certificates in `fleetgate dev`: a dev CA and a server certificate for this machine, made at
the first start and kept in the data directory, and the simulator's car CA, which the receiver trusts as a real one
trusts Tesla's vehicle CA.

The dev CA is kept so that the CA chain in configs already sent to the simulator's cars stays the one the receiver
shows; the car CA is written at every start, since the simulator makes a new one each time it runs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from fleetgate.devtools.devserver.errors import DevError
from fleetgate.protocol.telemetry.certificates import CertificateAuthority

DEV_CA_NAME = "fleetgate dev telemetry CA"
SERVER_NAMES = ["127.0.0.1", "localhost", "::1"]


@dataclass(frozen=True, slots=True)
class TelemetryPki:
    directory: Path

    @property
    def ca_path(self) -> Path:
        return self.directory / "dev-ca.pem"

    @property
    def ca_key_path(self) -> Path:
        return self.directory / "dev-ca-key.pem"

    @property
    def cert_path(self) -> Path:
        return self.directory / "server.pem"

    @property
    def key_path(self) -> Path:
        return self.directory / "server-key.pem"

    @property
    def vehicle_ca_path(self) -> Path:
        return self.directory / "simulator-car-ca.pem"

    def prepare(self) -> None:
        """The dev CA and the server certificate, made unless both are already there."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if self.ca_path.exists() and self.ca_key_path.exists():
                authority = CertificateAuthority.from_pem(self.ca_path.read_bytes(), self.ca_key_path.read_bytes())
            else:
                authority = CertificateAuthority.create(DEV_CA_NAME)
                _write_private(self.ca_key_path, authority.key_pem)
                self.ca_path.write_bytes(authority.cert_pem)
            if not (self.cert_path.exists() and self.key_path.exists()):
                cert, key = authority.issue_server(SERVER_NAMES)
                _write_private(self.key_path, key)
                self.cert_path.write_bytes(cert)
        except (OSError, ValueError) as exc:
            raise DevError(
                f"cannot make or read the telemetry receiver's dev CA in {self.directory} ({exc}); "
                "delete that directory to make new ones"
            ) from exc

    def trust_cars_of(self, car_ca_pem: bytes) -> None:
        try:
            self.vehicle_ca_path.write_bytes(car_ca_pem)
        except OSError as exc:
            raise DevError(f"cannot write {self.vehicle_ca_path} ({exc.strerror})") from exc


def _write_private(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)
