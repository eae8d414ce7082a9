"""A receiver on a port the OS picks, and cars that talk to it as Tesla's do: mutual TLS with a certificate whose CN is
the VIN, FlatBuffers frames of protobuf records."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect

from fleetgate.config import Settings
from fleetgate.protocol.telemetry.certificates import CertificateAuthority
from fleetgate.protocol.telemetry.envelope import StreamAck, StreamMessage, decode_frame, encode_stream
from fleetgate.protocol.telemetry.records import TelemetryValue, encode_vehicle_data
from tests.support.live import free_port

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Pki:
    """The receiver's certificate and the CA that issues the cars'."""

    server_ca: CertificateAuthority
    vehicle_ca: CertificateAuthority
    directory: Path

    @classmethod
    def create(cls, directory: Path) -> Pki:
        return cls(CertificateAuthority.create("Receiver CA"), CertificateAuthority.create("Vehicle CA"), directory)

    def server_tls_files(self) -> tuple[Path, Path, Path]:
        cert, key = self.server_ca.issue_server([HOST])
        return (
            self._write("server.pem", cert),
            self._write("server-key.pem", key),
            self._write("vehicle-ca.pem", self.vehicle_ca.cert_pem),
        )

    def car_tls(self, vin: str, issuer: CertificateAuthority | None = None) -> ssl.SSLContext:
        cert, key = (issuer or self.vehicle_ca).issue_vehicle(vin)
        context = ssl.create_default_context(cadata=self.server_ca.cert_pem.decode())
        context.load_cert_chain(self._write(f"{vin}.pem", cert), self._write(f"{vin}-key.pem", key))
        return context

    def _write(self, name: str, content: bytes) -> Path:
        path = self.directory / name
        path.write_bytes(content)
        return path


def v_frame(
    vin: str, made_at: datetime, data: Mapping[str, TelemetryValue], *, txid: bytes = b"tx", is_resend: bool = False
) -> bytes:
    return stream_frame(vin, b"V", encode_vehicle_data(vin, made_at, data, is_resend=is_resend), txid=txid)


def stream_frame(vin: str, topic: bytes, payload: bytes, *, txid: bytes = b"tx") -> bytes:
    return encode_stream(
        StreamMessage(
            txid=txid,
            topic=topic,
            message_id=b"m-" + txid,
            created_at=0,
            sender_id=f"vehicle_device.{vin}".encode(),
            device_type=b"vehicle_device",
            device_id=vin.encode(),
            payload=payload,
            delivered_at_epoch_ms=0,
        )
    )


@dataclass
class Car:
    connection: ClientConnection

    async def send(self, frame: bytes) -> StreamMessage | StreamAck:
        await self.connection.send(frame)
        reply = await self.connection.recv()
        assert isinstance(reply, bytes)
        return decode_frame(reply)


@asynccontextmanager
async def streaming(pki: Pki, port: int, vin: str, issuer: CertificateAuthority | None = None) -> AsyncIterator[Car]:
    headers = {"Version": "2025.20.6", "X-Network-Interface": "wifi", "X-TXID": "connect-1"}
    async with connect(
        f"wss://{HOST}:{port}/", ssl=pki.car_tls(vin, issuer), additional_headers=headers, compression=None
    ) as connection:
        yield Car(connection)


async def streaming_to_own_receiver(settings: Settings, sim: httpx.AsyncClient, directory: Path) -> Settings:
    """Gateway settings whose configs send cars to the gateway's own receiver (on a free port), which trusts the
    simulator's car CA."""
    pki = Pki.create(directory)
    cert, key, _ = pki.server_tls_files()
    cars_ca = directory / "simulator-cars-ca.pem"
    cars_ca.write_text((await sim.get("/sim/telemetry/ca")).text)
    chain = directory / "receiver-ca.pem"
    chain.write_bytes(pki.server_ca.cert_pem)
    port = free_port()
    return settings.model_copy(
        update={
            "telemetry_host": HOST,
            "telemetry_port": port,
            "telemetry_cert_path": cert,
            "telemetry_key_path": key,
            "telemetry_vehicle_ca_path": cars_ca,
            "telemetry_hostname": HOST,
            "telemetry_public_port": port,
            "telemetry_ca_chain_path": chain,
        }
    )
