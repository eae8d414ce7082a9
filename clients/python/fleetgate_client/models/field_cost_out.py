from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FieldCostOut")


@_attrs_define
class FieldCostOut:
    """
    Attributes:
        tesla_field (str):
        signals_per_day (float):
    """

    tesla_field: str
    signals_per_day: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tesla_field = self.tesla_field

        signals_per_day = self.signals_per_day

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tesla_field": tesla_field,
                "signals_per_day": signals_per_day,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tesla_field = d.pop("tesla_field")

        signals_per_day = d.pop("signals_per_day")

        field_cost_out = cls(
            tesla_field=tesla_field,
            signals_per_day=signals_per_day,
        )

        field_cost_out.additional_properties = d
        return field_cost_out

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
