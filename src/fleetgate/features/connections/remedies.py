"""What an application can do about a connection: reconnect through fleetgate, or send the user to Tesla's page."""

from __future__ import annotations

from urllib.parse import urlencode

from fleetgate.config import Settings
from fleetgate.tesla.endpoints import TeslaEndpoints


def reconnect_url(settings: Settings, connection_id: str) -> str:
    """The API call (POST) that starts a reconnect: it answers with a connect session to send the user to."""
    return f"{settings.public_url.rstrip('/')}/v1/connections/{connection_id}/reconnect"


def manage_access_url(settings: Settings, endpoints: TeslaEndpoints) -> str:
    """Tesla's page where the user changes or revokes this app's access, with a way back to the application."""
    query = urlencode({"revoke_client_id": settings.client_id, "back_url": settings.public_url})
    return f"{endpoints.manage_access_url}?{query}"


def connection_remedies(settings: Settings, endpoints: TeslaEndpoints, connection_id: str) -> dict[str, str]:
    return {
        "reconnect_url": reconnect_url(settings, connection_id),
        "manage_access_url": manage_access_url(settings, endpoints),
    }
