"""Registering an app's domain and public key in a region, as `POST /partner_accounts` does at Tesla.

The domain is a bare, lowercase host whose root domain matches one of the app's allowed origins (so
`keys.example.com` is fine for the origin `https://www.example.com`). Tesla then downloads the key from
`https://<domain>/.well-known/appspecific/com.tesla.3p.public-key.pem`, without following redirects, and accepts
only a P-256 key in PEM. For local development a loopback domain (`localhost:8080`, `127.0.0.1:8080`) may carry
a port and is fetched over plain http; Tesla itself would never reach it.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from fleetgate.protocol.keys import KeyFormatError, public_key_from_text
from fleetgate.simulator.envelope import TeslaHTTPError
from fleetgate.simulator.world import DeveloperApp, PartnerRegistration, World

KEY_PATH = "/.well-known/appspecific/com.tesla.3p.public-key.pem"
MAX_KEY_FILE_BYTES = 4096
DASHBOARD = "https://developer.tesla.com/dashboard/app-details"
_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
# Public suffixes of two labels, for which the registrable ("root") domain has three.
_TWO_LABEL_SUFFIXES = frozenset(
    {"co.uk", "org.uk", "ac.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "com.br", "com.mx", "co.za", "com.cn"}
)


@dataclass(frozen=True, slots=True)
class PartnerDomain:
    host: str
    port: int | None = None

    @property
    def text(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port else host

    @property
    def key_url(self) -> str:
        scheme = "http" if is_loopback(self.host) else "https"
        return f"{scheme}://{self.text}{KEY_PATH}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def invalid_domain(raw: object) -> TeslaHTTPError:
    return TeslaHTTPError(400, f"Invalid domain: {raw}. Ensure that domain is lowercase and starts without https://")


def parse_domain(raw: object) -> PartnerDomain:
    if not isinstance(raw, str) or not raw.strip():
        raise invalid_domain(raw)
    text = raw.strip().lower().rstrip(".")
    if any(mark in text for mark in ("://", "/", "?", "#", "@", " ")):
        raise invalid_domain(raw)
    host, port_text = text, ""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    port = None
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536 or not is_loopback(host):
            raise invalid_domain(raw)
        port = int(port_text)
    if not is_loopback(host):
        labels = host.split(".")
        if len(labels) < 2 or not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
            raise invalid_domain(raw)
    return PartnerDomain(host=host, port=port)


def root_domain(host: str) -> str:
    if is_loopback(host) or "." not in host:
        return host
    labels = host.split(".")
    size = 3 if ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-size:])


def _origin_host(origin: str) -> str | None:
    return urlsplit(origin if "://" in origin else f"https://{origin}").hostname


def check_allowed_origin(app: DeveloperApp, domain: PartnerDomain) -> None:
    root = root_domain(domain.host)
    for origin in app.allowed_origins:
        host = _origin_host(origin.strip().lower())
        if host and (host == domain.host or root_domain(host) == root):
            return
    raise TeslaHTTPError(412, f"Root domain {root} must match registered allowed origin on {DASHBOARD}/{app.client_id}")


def download_failed(url: str, reason: str) -> TeslaHTTPError:
    return TeslaHTTPError(424, f"Public key download failed for url {url}, error: {reason}")


async def fetch_public_key(client: httpx.AsyncClient, domain: PartnerDomain) -> bytes:
    """The 65-byte P-256 point from the domain's well-known PEM file."""
    url = domain.key_url
    try:
        response = await client.get(url, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise download_failed(url, f"could not connect ({type(exc).__name__})") from exc
    if response.status_code != 200:
        raise download_failed(url, f"status {response.status_code}")
    if len(response.content) > MAX_KEY_FILE_BYTES:
        raise download_failed(url, "too large")
    text = response.text.strip()
    if not text.startswith("-----BEGIN PUBLIC KEY-----"):
        raise download_failed(url, "not a PEM public key")
    try:
        return public_key_from_text(text)
    except KeyFormatError as exc:
        raise download_failed(url, "the key must be an EC prime256v1 (secp256r1) public key") from exc


def register(world: World, client_id: str, region: str, domain: PartnerDomain, key: bytes) -> PartnerRegistration:
    """Registers or re-registers the app in the region; re-registering replaces the domain and key."""
    existing = world.registrations.get((client_id, region))
    registration = PartnerRegistration(
        client_id=client_id,
        region=region,
        domain=domain.text,
        public_key=key,
        registered_at=existing.registered_at if existing else world.now(),
    )
    world.registrations[(client_id, region)] = registration
    return registration


def find_by_domain(world: World, region: str, domain: PartnerDomain) -> PartnerRegistration | None:
    return next(
        (r for r in world.registrations.values() if r.region == region and r.domain == domain.text),
        None,
    )


def _timestamp(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def partner_account_view(app: DeveloperApp, registration: PartnerRegistration, now: float) -> dict[str, Any]:
    return {
        "client_id": app.client_id,
        "name": app.name,
        "description": "",
        "domain": registration.domain,
        "ca": None,
        "created_at": _timestamp(registration.registered_at),
        "updated_at": _timestamp(now),
        "enterprise_tier": "free",
        "public_key": registration.public_key.hex(),
    }
