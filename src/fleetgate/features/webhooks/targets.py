"""Where webhooks may be sent: http(s) URLs without credentials, on public addresses.

Outside dev mode (and unless `webhook_allow_private_targets` says otherwise) a host that is, or resolves to, a
loopback, private, link-local, multicast, reserved, unspecified or otherwise non-global address is refused: a
gateway inside a private network must not become a way to reach that network. The check is made when an endpoint
is created and again before every attempt, since what a name resolves to can change.
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


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


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


async def check_target(url: str, settings: Settings) -> None:
    """Raises `TargetError` when webhooks may not go to `url`."""
    parts = parse_target(url)
    if private_allowed(settings):
        return
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for address in await resolve(host, port):
        if not is_public(address):
            raise TargetError(
                "private_target",
                f"The host {host!r} is or resolves to {address}, a loopback, private or otherwise non-public address.",
            )
