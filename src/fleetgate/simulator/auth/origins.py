"""Where the manage-access page may send the user back to: only to the app's own origins (no open redirect)."""

from __future__ import annotations

from urllib.parse import urlsplit

from fleetgate.simulator.world import DeveloperApp

Origin = tuple[str, str, int]
DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> Origin | None:
    # Browsers read a backslash as a slash, which URL parsers here do not; such URLs are refused outright.
    if "\\" in url or any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        return None
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or parts.username is not None:
        return None
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        return None
    return (scheme, parts.hostname.lower(), port)


def safe_back_url(app: DeveloperApp, url: str | None) -> str | None:
    if not url:
        return None
    origin = origin_of(url)
    allowed = {origin_of(known) for known in (*app.redirect_uris, *app.allowed_origins)}
    return url if origin is not None and origin in allowed else None
