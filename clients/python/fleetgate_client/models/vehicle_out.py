from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.device_status import DeviceStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vehicle_out_capabilities import VehicleOutCapabilities
    from ..models.virtual_key_out import VirtualKeyOut


T = TypeVar("T", bound="VehicleOut")


@_attrs_define
class VehicleOut:
    """
    Attributes:
        id (str):
        connection_id (str):
        customer_id (str):
        display_name (None | str):
        status (DeviceStatus): `removed`: Tesla no longer lists the device on the account (or the connection was
            deleted); it comes back
            `active`, with the same id, when it is listed again.
        capabilities (VehicleOutCapabilities):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        vin (str):
        command_signing (None | str): Tesla's `command_signing`: required, allowed or off
        firmware_version (None | str):
        virtual_key (VirtualKeyOut):
        type_ (Literal['vehicle'] | Unset):  Default: 'vehicle'.
    """

    id: str
    connection_id: str
    customer_id: str
    display_name: None | str
    status: DeviceStatus
    capabilities: VehicleOutCapabilities
    created_at: datetime.datetime
    updated_at: datetime.datetime
    vin: str
    command_signing: None | str
    firmware_version: None | str
    virtual_key: VirtualKeyOut
    type_: Literal["vehicle"] | Unset = "vehicle"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        connection_id = self.connection_id

        customer_id = self.customer_id

        display_name: None | str
        display_name = self.display_name

        status = self.status.value

        capabilities = self.capabilities.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        vin = self.vin

        command_signing: None | str
        command_signing = self.command_signing

        firmware_version: None | str
        firmware_version = self.firmware_version

        virtual_key = self.virtual_key.to_dict()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "connection_id": connection_id,
                "customer_id": customer_id,
                "display_name": display_name,
                "status": status,
                "capabilities": capabilities,
                "created_at": created_at,
                "updated_at": updated_at,
                "vin": vin,
                "command_signing": command_signing,
                "firmware_version": firmware_version,
                "virtual_key": virtual_key,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vehicle_out_capabilities import VehicleOutCapabilities  # noqa: PLC0415
        from ..models.virtual_key_out import VirtualKeyOut  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        connection_id = d.pop("connection_id")

        customer_id = d.pop("customer_id")

        def _parse_display_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display_name = _parse_display_name(d.pop("display_name"))

        status = DeviceStatus(d.pop("status"))

        capabilities = VehicleOutCapabilities.from_dict(d.pop("capabilities"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        vin = d.pop("vin")

        def _parse_command_signing(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        command_signing = _parse_command_signing(d.pop("command_signing"))

        def _parse_firmware_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        firmware_version = _parse_firmware_version(d.pop("firmware_version"))

        virtual_key = VirtualKeyOut.from_dict(d.pop("virtual_key"))

        type_ = cast(Literal["vehicle"] | Unset, d.pop("type", UNSET))
        if type_ != "vehicle" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'vehicle', got '{type_}'")

        vehicle_out = cls(
            id=id,
            connection_id=connection_id,
            customer_id=customer_id,
            display_name=display_name,
            status=status,
            capabilities=capabilities,
            created_at=created_at,
            updated_at=updated_at,
            vin=vin,
            command_signing=command_signing,
            firmware_version=firmware_version,
            virtual_key=virtual_key,
            type_=type_,
        )

        vehicle_out.additional_properties = d
        return vehicle_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
