from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.absent_entry import AbsentEntry
    from ..models.catalog_entry import CatalogEntry


T = TypeVar("T", bound="Catalog")


@_attrs_define
class Catalog:
    """
    Attributes:
        data (list[CatalogEntry]):
        absent (list[AbsentEntry]): Commands of Tesla's pages or tools that the gateway does not send, each with the
            reason
    """

    data: list[CatalogEntry]
    absent: list[AbsentEntry]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        absent = []
        for absent_item_data in self.absent:
            absent_item = absent_item_data.to_dict()
            absent.append(absent_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "absent": absent,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.absent_entry import AbsentEntry  # noqa: PLC0415
        from ..models.catalog_entry import CatalogEntry  # noqa: PLC0415

        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = CatalogEntry.from_dict(data_item_data)

            data.append(data_item)

        absent = []
        _absent = d.pop("absent")
        for absent_item_data in _absent:
            absent_item = AbsentEntry.from_dict(absent_item_data)

            absent.append(absent_item)

        catalog = cls(
            data=data,
            absent=absent,
        )

        catalog.additional_properties = d
        return catalog

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
