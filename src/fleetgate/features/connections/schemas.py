from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from fleetgate.infra.models.connection import ConnectionStatus


class Remedies(BaseModel):
    reconnect_api_url: str = Field(
        description="For your backend: POST it with your API key for a connect session that asks the user again"
    )
    reconnect_link: str = Field(
        description="For the user: a page they open themselves (an email, a notification) that takes them through "
        "Tesla's consent again; no API key in it. Valid at least 7 days; the same link is given all day"
    )
    manage_access_url: str = Field(description="Tesla's page where the user changes or removes this app's access")


class ConnectionOut(BaseModel):
    id: str
    customer_id: str
    status: ConnectionStatus
    status_reason: str | None = Field(description="Why the connection is not active, in Tesla's words where possible")
    region: Literal["na", "eu", "cn"]
    granted_scopes: list[str] = Field(description="The `scp` of the current access token, unknown scopes included")
    granted_access: list[str]
    requested_access: list[str] = Field(description="Everything asked for by the connects of this connection")
    missing_access: list[str] = Field(description="Requested access the user did not grant")
    remedies: Remedies
    created_at: datetime
    updated_at: datetime
    synced_at: datetime | None
