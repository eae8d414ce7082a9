from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fleetgate.features.access.scopes import ACCESS_NAMES

SessionStatus = Literal["pending", "completed", "failed", "expired"]


class ConnectSessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: str | None = Field(default=None, max_length=40, description="An existing customer of yours")
    reference_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="Your id for the end user; a customer is created on first use. Give this or `customer_id`.",
    )
    redirect_url: str | None = Field(
        default=None,
        max_length=2000,
        description="Where the end user goes afterwards (absolute http(s) URL); without it, fleetgate's result page",
    )
    access: list[str] = Field(
        max_length=len(ACCESS_NAMES) * 2,
        description=f"At least one of: {', '.join(ACCESS_NAMES)}",
        # Declared, not enforced here: `service.checked_access` refuses an empty list with the known names.
        json_schema_extra={"minItems": 1},
    )
    require_all: bool = Field(default=False, description="Tesla lets the user continue only with every box ticked")


class SessionError(BaseModel):
    code: str
    message: str


class ConnectSessionOut(BaseModel):
    id: str
    url: str = Field(description="The hosted page to send the end user to")
    status: SessionStatus
    expires_at: datetime
    customer_id: str
    access: list[str]
    require_all: bool
    reconnect: bool = Field(description="True when completing it updates an existing connection")
    connection_id: str | None
    redirect_url: str | None
    granted_access: list[str] | None = Field(description="Once completed: the access the user granted")
    missing_access: list[str] | None = Field(description="Once completed: requested access the user did not grant")
    error: SessionError | None
    created_at: datetime
    completed_at: datetime | None


class ReconnectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    redirect_url: str | None = Field(
        default=None, max_length=2000, description="Where the end user goes afterwards (absolute http(s) URL)"
    )
    access: list[str] = Field(
        default_factory=list,
        max_length=len(ACCESS_NAMES) * 2,
        description="Access to ask for on top of what the connection already asked for",
    )
