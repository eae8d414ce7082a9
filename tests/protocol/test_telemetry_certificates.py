"""The telemetry CA's certificates in a real mutual-TLS handshake, and the VIN read from the car's certificate."""

import asyncio
import ssl
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID

from fleetgate.protocol.telemetry.certificates import CertificateAuthority, vin_of

VIN = "5YJ3E1EA7KF000001"


@pytest.fixture(scope="module")
def authority() -> CertificateAuthority:
    return CertificateAuthority.create("Fleetgate Telemetry Test CA")


def _write(directory: Path, name: str, cert_pem: bytes, key_pem: bytes) -> tuple[Path, Path]:
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert_pem)
    key_path.write_bytes(key_pem)
    return cert_path, key_path


def _server_context(authority: CertificateAuthority, directory: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_write(directory, "server", *authority.issue_server(["localhost", "127.0.0.1"])))
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cadata=authority.cert_pem.decode())
    return context


def _client_context(server_ca: CertificateAuthority, car_ca: CertificateAuthority, directory: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cadata=server_ca.cert_pem.decode())
    context.load_cert_chain(*_write(directory, "car", *car_ca.issue_vehicle(VIN)))
    return context


async def _handshake(server: ssl.SSLContext, client: ssl.SSLContext) -> tuple[list[str], bytes | None]:
    """Connects once; answers the VINs the server read and what the client received (None: a TLS error)."""
    vins: list[str] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        peer = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
        vins.append(vin_of(peer))
        writer.write(b"mtls ok")
        await writer.drain()
        writer.close()

    listener = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=server)
    port = listener.sockets[0].getsockname()[1]
    received: bytes | None = None
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=client, server_hostname="localhost")
        try:
            received = await reader.read()
        except (ssl.SSLError, ConnectionError):
            # With TLS 1.3 the client may learn of a refusal only after its side of the handshake.
            received = None
        finally:
            writer.close()
    except (ssl.SSLError, ConnectionError):
        received = None
    finally:
        listener.close()
        await listener.wait_closed()
    return vins, received


async def test_a_car_certificate_from_the_ca_is_accepted_and_names_its_vin(
    authority: CertificateAuthority, tmp_path: Path
) -> None:
    vins, received = await _handshake(
        _server_context(authority, tmp_path), _client_context(authority, authority, tmp_path)
    )

    assert (vins, received) == ([VIN], b"mtls ok")


async def test_a_car_certificate_from_another_ca_is_refused(authority: CertificateAuthority, tmp_path: Path) -> None:
    stranger = CertificateAuthority.create("Someone Else")

    vins, received = await _handshake(
        _server_context(authority, tmp_path), _client_context(authority, stranger, tmp_path)
    )

    assert vins == []
    assert not received


def test_the_vin_is_the_common_name_with_dots_as_dashes(authority: CertificateAuthority) -> None:
    cert_pem, _ = authority.issue_vehicle("device.1234")
    certificate = x509.load_pem_x509_certificate(cert_pem)

    assert vin_of(certificate) == "device-1234"
    assert vin_of(certificate.public_bytes(serialization.Encoding.DER)) == "device-1234"


def test_certificates_carry_their_purpose(authority: CertificateAuthority) -> None:
    server = x509.load_pem_x509_certificate(authority.issue_server(["telemetry.example.com", "10.0.0.1"])[0])
    car = x509.load_pem_x509_certificate(authority.issue_vehicle(VIN)[0])

    assert server.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.SERVER_AUTH]
    )
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["telemetry.example.com"]
    assert [str(ip) for ip in names.get_values_for_type(x509.IPAddress)] == ["10.0.0.1"]
    assert car.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value == x509.ExtendedKeyUsage(
        [ExtendedKeyUsageOID.CLIENT_AUTH]
    )
    assert car.issuer == authority.certificate.subject
    car.verify_directly_issued_by(authority.certificate)


def test_an_authority_reloads_from_its_pem(authority: CertificateAuthority) -> None:
    again = CertificateAuthority.from_pem(authority.cert_pem, authority.key_pem)

    car = x509.load_pem_x509_certificate(again.issue_vehicle(VIN)[0])

    car.verify_directly_issued_by(authority.certificate)
