from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.catalog_entry_params_schema import CatalogEntryParamsSchema


T = TypeVar("T", bound="CatalogEntry")


@_attrs_define
class CatalogEntry:
    """
    Attributes:
        name (str):
        device_type (str):
        description (str):
        params_schema (CatalogEntryParamsSchema):
        capability (str): The device's capability it needs (see the device's `capabilities`)
        access (str): The access a connect session asks for to allow this command
        scopes (list[str]): Tesla scopes, any one of which allows it
        idempotent (bool):
        virtual_key_required (bool):
        tesla (str): The Fleet API call it becomes
    """

    name: str
    device_type: str
    description: str
    params_schema: CatalogEntryParamsSchema
    capability: str
    access: str
    scopes: list[str]
    idempotent: bool
    virtual_key_required: bool
    tesla: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        device_type = self.device_type

        description = self.description

        params_schema = self.params_schema.to_dict()

        capability = self.capability

        access = self.access

        scopes = self.scopes

        idempotent = self.idempotent

        virtual_key_required = self.virtual_key_required

        tesla = self.tesla

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "device_type": device_type,
                "description": description,
                "params_schema": params_schema,
                "capability": capability,
                "access": access,
                "scopes": scopes,
                "idempotent": idempotent,
                "virtual_key_required": virtual_key_required,
                "tesla": tesla,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.catalog_entry_params_schema import CatalogEntryParamsSchema  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        device_type = d.pop("device_type")

        description = d.pop("description")

        params_schema = CatalogEntryParamsSchema.from_dict(d.pop("params_schema"))

        capability = d.pop("capability")

        access = d.pop("access")

        scopes = cast(list[str], d.pop("scopes"))

        idempotent = d.pop("idempotent")

        virtual_key_required = d.pop("virtual_key_required")

        tesla = d.pop("tesla")

        catalog_entry = cls(
            name=name,
            device_type=device_type,
            description=description,
            params_schema=params_schema,
            capability=capability,
            access=access,
            scopes=scopes,
            idempotent=idempotent,
            virtual_key_required=virtual_key_required,
            tesla=tesla,
        )

        catalog_entry.additional_properties = d
        return catalog_entry

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
