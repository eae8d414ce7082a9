"""The simulated cars' TLS identity: one certificate authority per world, and a client certificate per car from it.

A receiver trusts this CA (the control API serves its PEM at `/sim/telemetry/ca`) the way a real one trusts Tesla's.
The CA is made the first time it is needed, so a world that never streams never pays for its keys.
"""

from __future__ import annotations

import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from fleetgate.protocol.telemetry.certificates import CertificateAuthority

CA_NAME = "Tesla Issuing CA"


@dataclass(slots=True)
class CarCertificates:
    _authority: CertificateAuthority | None = None
    _issued: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)

    @property
    def authority(self) -> CertificateAuthority:
        if self._authority is None:
            self._authority = CertificateAuthority.create(CA_NAME)
        return self._authority

    def of_car(self, vin: str) -> tuple[bytes, bytes]:
        """The car's certificate and key, PEM."""
        if vin not in self._issued:
            self._issued[vin] = self.authority.issue_vehicle(vin)
        return self._issued[vin]

    def client_context(self, vin: str, receiver_ca: str) -> ssl.SSLContext:
        """TLS as the car speaks it to a receiver: the receiver checked against its config's `ca`, the car's own
        certificate presented."""
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cadata=receiver_ca)
        cert_pem, key_pem = self.of_car(vin)
        # ssl loads a certificate chain only from files.
        with tempfile.TemporaryDirectory(prefix="fleetgate-car-") as directory:
            cert_path, key_path = Path(directory, "car.pem"), Path(directory, "car.key")
            cert_path.write_bytes(cert_pem)
            key_path.touch(mode=0o600)
            key_path.write_bytes(key_pem)
            context.load_cert_chain(cert_path, key_path)
        return context
