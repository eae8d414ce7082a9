from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.device_status import DeviceStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.energy_site_out_capabilities import EnergySiteOutCapabilities


T = TypeVar("T", bound="EnergySiteOut")


@_attrs_define
class EnergySiteOut:
    """
    Attributes:
        id (str):
        connection_id (str):
        customer_id (str):
        display_name (None | str):
        status (DeviceStatus): `removed`: Tesla no longer lists the device on the account (or the connection was
            deleted); it comes back
            `active`, with the same id, when it is listed again.
        capabilities (EnergySiteOutCapabilities):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        energy_site_id (int):
        resource_type (None | str): Tesla's `resource_type`: battery, solar, …
        type_ (Literal['energy_site'] | Unset):  Default: 'energy_site'.
    """

    id: str
    connection_id: str
    customer_id: str
    display_name: None | str
    status: DeviceStatus
    capabilities: EnergySiteOutCapabilities
    created_at: datetime.datetime
    updated_at: datetime.datetime
    energy_site_id: int
    resource_type: None | str
    type_: Literal["energy_site"] | Unset = "energy_site"
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

        energy_site_id = self.energy_site_id

        resource_type: None | str
        resource_type = self.resource_type

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
                "energy_site_id": energy_site_id,
                "resource_type": resource_type,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.energy_site_out_capabilities import EnergySiteOutCapabilities  # noqa: PLC0415

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

        capabilities = EnergySiteOutCapabilities.from_dict(d.pop("capabilities"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        energy_site_id = d.pop("energy_site_id")

        def _parse_resource_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resource_type = _parse_resource_type(d.pop("resource_type"))

        type_ = cast(Literal["energy_site"] | Unset, d.pop("type", UNSET))
        if type_ != "energy_site" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'energy_site', got '{type_}'")

        energy_site_out = cls(
            id=id,
            connection_id=connection_id,
            customer_id=customer_id,
            display_name=display_name,
            status=status,
            capabilities=capabilities,
            created_at=created_at,
            updated_at=updated_at,
            energy_site_id=energy_site_id,
            resource_type=resource_type,
            type_=type_,
        )

        energy_site_out.additional_properties = d
        return energy_site_out

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
