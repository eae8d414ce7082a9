"""A small P-256 certificate authority for the telemetry stream's mutual TLS, and the car's identity in it.

A car presents a client certificate whose subject CN is its VIN; Tesla's server takes the device id from the first
certificate of the verified chain, with dots replaced by dashes, and never from anything inside a record.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_CA_LIFETIME = timedelta(days=3650)
_LEAF_LIFETIME = timedelta(days=825)
# Clocks of the peers may be a little behind ours.
_BACKDATE = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class CertificateAuthority:
    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey

    @classmethod
    def create(cls, name: str) -> CertificateAuthority:
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.now(UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _BACKDATE)
            .not_valid_after(now + _CA_LIFETIME)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_key_usage(cert_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256())
        )
        return cls(certificate=certificate, private_key=key)

    @classmethod
    def from_pem(cls, cert_pem: bytes, key_pem: bytes) -> CertificateAuthority:
        key = serialization.load_pem_private_key(key_pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("a certificate authority's key must be an EC key")
        return cls(certificate=x509.load_pem_x509_certificate(cert_pem), private_key=key)

    @property
    def cert_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return _key_pem(self.private_key)

    def issue_server(self, hostnames: list[str]) -> tuple[bytes, bytes]:
        if not hostnames:
            raise ValueError("a server certificate names at least one host")
        names: list[x509.GeneralName] = [_general_name(hostname) for hostname in hostnames]
        return self._issue(hostnames[0], ExtendedKeyUsageOID.SERVER_AUTH, x509.SubjectAlternativeName(names))

    def issue_vehicle(self, vin: str) -> tuple[bytes, bytes]:
        return self._issue(vin, ExtendedKeyUsageOID.CLIENT_AUTH, None)

    def _issue(
        self, common_name: str, usage: x509.ObjectIdentifier, alternative_names: x509.SubjectAlternativeName | None
    ) -> tuple[bytes, bytes]:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(int.from_bytes(secrets.token_bytes(16)) >> 1)
            .not_valid_before(now - _BACKDATE)
            .not_valid_after(now + _LEAF_LIFETIME)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(cert_sign=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.private_key.public_key()), critical=False
            )
        )
        if alternative_names is not None:
            builder = builder.add_extension(alternative_names, critical=False)
        certificate = builder.sign(self.private_key, hashes.SHA256())
        return certificate.public_bytes(serialization.Encoding.PEM), _key_pem(key)


def vin_of(certificate: x509.Certificate | bytes) -> str:
    """The VIN of a verified peer certificate (an x509 object, or DER as `getpeercert(binary_form=True)` gives it)."""
    if isinstance(certificate, bytes):
        certificate = x509.load_der_x509_certificate(certificate)
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not names:
        raise ValueError("the certificate has no common name")
    common_name = names[0].value
    if isinstance(common_name, bytes):
        common_name = common_name.decode()
    if not common_name:
        raise ValueError("the certificate's common name is empty")
    return common_name.replace(".", "-")


def _general_name(hostname: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(hostname))
    except ValueError:
        return x509.DNSName(hostname)


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=not cert_sign,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
