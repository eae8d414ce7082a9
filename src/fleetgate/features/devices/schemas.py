from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from fleetgate.features.connections.schemas import ConnectionOut
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.pagination import Page


class CapabilityOut(BaseModel):
    available: bool
    reason: str | None = Field(default=None, description="Why not (a machine code), when unavailable")
    remedy: dict[str, Any] | None = Field(default=None, description="What makes it available, when unavailable")

    @model_serializer(mode="wrap")
    def _without_empty(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {key: value for key, value in data.items() if value is not None}


class VirtualKeyOut(BaseModel):
    required: bool = Field(description="Commands need the app's key on the car (it only takes signed commands)")
    paired: bool | None = Field(description="As Tesla's fleet_status last said; null before the first check")
    pairing_url: str = Field(description="Tesla's link that asks the owner to add the key (open it on the phone)")
    checked_at: datetime | None


class VirtualKeyStatus(VirtualKeyOut):
    device_id: str
    vin: str


class DeviceBase(BaseModel):
    id: str
    connection_id: str
    customer_id: str
    display_name: str | None
    status: DeviceStatus
    capabilities: dict[str, CapabilityOut]
    created_at: datetime
    updated_at: datetime


class VehicleOut(DeviceBase):
    type: Literal["vehicle"] = "vehicle"
    vin: str
    command_signing: str | None = Field(description="Tesla's `command_signing`: required, allowed or off")
    firmware_version: str | None
    virtual_key: VirtualKeyOut


class EnergySiteOut(DeviceBase):
    type: Literal["energy_site"] = "energy_site"
    energy_site_id: int
    resource_type: str | None = Field(description="Tesla's `resource_type`: battery, solar, …")


DeviceOut = Annotated[VehicleOut | EnergySiteOut, Field(discriminator="type")]


class DevicePage(Page[DeviceOut]):
    """A page of devices (a named class, so the OpenAPI schema gets a readable name)."""


class SyncedConnectionOut(ConnectionOut):
    """A connection just synced, with its devices as Tesla listed them."""

    devices: list[DeviceOut]
