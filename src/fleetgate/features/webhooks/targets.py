"""Where webhooks may be sent: http(s) URLs without credentials, on public addresses.

Outside dev mode (and unless `webhook_allow_private_targets` says otherwise) a host that is, or resolves to, a
loopback, private, link-local, multicast, reserved, unspecified or otherwise non-global address is refused: a
gateway inside a private network must not become a way to reach that network. The check is made when an endpoint
is created and again before every attempt, since what a name resolves to can change. An IPv6 address that leads to
an IPv4 one (mapped, compatible, 6to4, Teredo, NAT64) is judged by that IPv4 address too. An attempt connects to
an address it checked, never to what a second resolution of the name might answer (see `delivery.pinned`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from fleetgate.config import Settings

MAX_URL_LENGTH = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetError(Exception):
    """`code`: `invalid_url`, `private_target` or `unresolvable`."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def private_allowed(settings: Settings) -> bool:
    return settings.mode == "dev" or settings.webhook_allow_private_targets


def parse_target(url: str) -> SplitResult:
    if len(url) > MAX_URL_LENGTH:
        raise TargetError("invalid_url", f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetError("invalid_url", f"The URL does not parse: {exc}.") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetError("invalid_url", "The URL must be absolute, with the scheme http or https and a host.")
    if parts.username is not None or parts.password is not None:
        raise TargetError("invalid_url", "The URL must not carry credentials; authenticate with the signature.")
    if parts.fragment:
        raise TargetError("invalid_url", "The URL must not have a fragment (#…).")
    if port == 0:
        raise TargetError("invalid_url", "The URL's port must be between 1 and 65535.")
    return parts


NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
# RFC 8215's local-use NAT64 prefix: where the IPv4 address sits inside it is the operator's choice, so the whole
# prefix is refused.
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to: IPv4-mapped, IPv4-compatible, 6to4, Teredo's client (which
    `ipaddress` gives back un-XOR-ed) and NAT64."""
    found = [mapped for mapped in (address.ipv4_mapped, address.sixtofour) if mapped is not None]
    if address.teredo is not None:
        found.extend(address.teredo)
    if address in IPV4_COMPATIBLE or address in NAT64_WELL_KNOWN:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _is_public_itself(address: IPAddress) -> bool:
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        if address in NAT64_LOCAL or address.teredo is not None:
            return False
        if not all(_is_public_itself(inner) for inner in embedded_ipv4(address)):
            return False
        # These are only a way to reach their IPv4 address (the prefixes themselves count as reserved).
        if address.ipv4_mapped is not None or address in NAT64_WELL_KNOWN:
            return True
    return _is_public_itself(address)


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


async def resolve(host: str, port: int) -> list[IPAddress]:
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetError("unresolvable", f"The host {host!r} does not resolve: {exc}.") from exc
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = literal_address(str(sockaddr[0]).split("%", 1)[0])
        if address is not None and address not in found:
            found.append(address)
    if not found:
        raise TargetError("unresolvable", f"The host {host!r} resolves to no address.")
    return found


async def check_target(url: str, settings: Settings) -> list[IPAddress]:
    """Raises `TargetError` when webhooks may not go to `url`; otherwise the addresses checked, to connect to one of
    them and to nothing else (none when private targets are allowed: nothing needs checking)."""
    parts = parse_target(url)
    if private_allowed(settings):
        return []
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = await resolve(host, port)
    for address in addresses:
        if not is_public(address):
            raise TargetError(
                "private_target",
                f"The host {host!r} is or resolves to {address}, a loopback, private or otherwise non-public address.",
            )
    return addresses
