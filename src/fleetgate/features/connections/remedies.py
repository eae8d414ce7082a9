"""What can be done about a connection: the application reconnects through the API, the user opens a reconnect link,
or the user changes the app's access on Tesla's page."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from fleetgate.config import Settings
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.signed_links import LinkSigner, expiry_in_days
from fleetgate.tesla.endpoints import TeslaEndpoints

RECONNECT_LINK = "reconnect_link"
# Long enough for an email or a notification to be read; the application can always ask for a fresh one.
RECONNECT_LINK_DAYS = 7


def reconnect_api_url(settings: Settings, connection_id: str) -> str:
    """The API call (POST, with the application's key) that answers a connect session to send the user to."""
    return f"{settings.public_url.rstrip('/')}/v1/connections/{connection_id}/reconnect"


def reconnect_link(settings: Settings, links: LinkSigner, connection_id: str, now: datetime) -> str:
    """A page the user can open themselves (an email, a notification): it starts the reconnect, no API key needed."""
    token = links.sign(RECONNECT_LINK, connection_id, expiry_in_days(now, RECONNECT_LINK_DAYS))
    return f"{settings.public_url.rstrip('/')}/connect/reconnect/{token}"


def reconnect_link_subject(links: LinkSigner, token: str, now: datetime) -> str | None:
    """The connection a reconnect link names, or None when it is forged, damaged or expired."""
    return links.verify(RECONNECT_LINK, token, now)


def manage_access_url(settings: Settings, endpoints: TeslaEndpoints) -> str:
    """Tesla's page where the user changes or revokes this app's access, with a way back to the application."""
    query = urlencode({"revoke_client_id": settings.client_id, "back_url": settings.public_url})
    return f"{endpoints.manage_access_url}?{query}"


def connection_remedies(runtime: Runtime, connection_id: str) -> dict[str, str]:
    settings = runtime.settings
    return {
        "reconnect_api_url": reconnect_api_url(settings, connection_id),
        "reconnect_link": reconnect_link(settings, runtime.links, connection_id, utcnow()),
        "manage_access_url": manage_access_url(settings, runtime.endpoints),
    }


def reconnect_remedies(remedies: dict[str, str]) -> dict[str, str]:
    """The part of `connection_remedies` that applies once the app's access is gone: Tesla's page has nothing left."""
    return {name: remedies[name] for name in ("reconnect_api_url", "reconnect_link")}
