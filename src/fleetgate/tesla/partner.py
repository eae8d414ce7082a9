"""Registering the app's domain with Tesla in a region: a partner token, then `partner_accounts`."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from cryptography.hazmat.primitives.asymmetric import ec

from fleetgate.protocol.keys import public_key_bytes
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.endpoints import Region, TeslaEndpoints
from fleetgate.tesla.errors import UpstreamError
from fleetgate.tesla.fleet import FleetSession, StaticToken
from fleetgate.tesla.oauth import OAuthClient


@dataclass(frozen=True, slots=True)
class Registration:
    region: Region
    domain: str
    public_key_hex: str


async def register_domain(
    http: httpx.AsyncClient,
    endpoints: TeslaEndpoints,
    *,
    client_id: str,
    client_secret: str,
    region: Region,
    domain: str,
    key: ec.EllipticCurvePrivateKey,
) -> Registration:
    """Registers, then reads the key back from Tesla and checks it is ours (Tesla fetched it from our domain)."""
    oauth = OAuthClient(http, endpoints, client_id, client_secret)
    partner = await oauth.partner_token(audience=endpoints.base_url(region))
    api = FleetApi(FleetSession(http, endpoints, StaticToken(partner.access_token), region))
    await api.register_partner(domain)
    answer = await api.partner_public_key(domain)
    registered = str(answer.get("public_key", ""))
    expected = public_key_bytes(key).hex()
    if registered.lower() != expected:
        raise UpstreamError(
            f"Tesla holds another public key for {domain} ({registered[:16]}…); is the .well-known file current?"
        )
    return Registration(region=region, domain=domain, public_key_hex=registered)
