from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from fleetgate.features.commands.status import CommandStatus

DEFAULT_EXPIRES_IN = 600
MAX_EXPIRES_IN = 24 * 3600
# `access.capabilities.TRY_ANYWAY` is the second.
IfKeyMissing = Literal["refuse", "try"]


class CommandIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    command: str = Field(description="A name from `GET /v1/commands/catalog`", max_length=60)
    params: dict[str, Any] = Field(default_factory=dict, description="As the catalogue's `params_schema` says")
    wake: bool = Field(
        default=True,
        description="Wake the car if it is asleep (a billed wake, at most one per attempt); false fails the command "
        "with `vehicle_asleep` instead",
    )
    expires_in: int = Field(
        default=DEFAULT_EXPIRES_IN,
        ge=1,
        le=MAX_EXPIRES_IN,
        description="Seconds from submission after which a command that has not started ends `expired`",
    )
    if_key_missing: IfKeyMissing = Field(
        default="refuse",
        description="For a command that needs the app's virtual key, to a car that requires it and that Tesla said "
        "lacks it (the device's `virtual_key.paired` is false): `refuse` answers `409 virtual_key_not_paired` with "
        "the pairing link, nothing queued, sent or billed (when Tesla said so long ago, an hour by default, it is "
        "asked again first, at no charge); `try` queues the command all the same, and the car refuses it unless "
        "the key was paired meanwhile (after a billed wake if it is asleep). Without effect on other commands and "
        "cars",
    )


class CommandError(BaseModel):
    code: str
    message: str
    remedy: dict[str, Any] | None = None


class CommandOut(BaseModel):
    id: str
    device_id: str
    connection_id: str
    customer_id: str
    command: str
    params: dict[str, Any]
    wake: bool
    idempotent: bool
    status: CommandStatus
    reason: str | None
    error: CommandError | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    expires_at: datetime


class CommandPage(BaseModel):
    data: list[CommandOut]
    next_cursor: str | None


class CatalogEntry(BaseModel):
    name: str
    device_type: str
    description: str
    params_schema: dict[str, Any]
    capability: str = Field(description="The device's capability it needs (see the device's `capabilities`)")
    access: str = Field(description="The access a connect session asks for to allow this command")
    scopes: list[str] = Field(description="Tesla scopes, any one of which allows it")
    idempotent: bool
    virtual_key_required: bool
    tesla: str = Field(description="The Fleet API call it becomes")


class AbsentEntry(BaseModel):
    name: str
    device_type: str
    reason: str = Field(description="Why the gateway does not send it")


class Catalog(BaseModel):
    data: list[CatalogEntry]
    absent: list[AbsentEntry] = Field(
        description="Commands of Tesla's pages or tools that the gateway does not send, each with the reason"
    )
