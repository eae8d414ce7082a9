from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChargingTotals")


@_attrs_define
class ChargingTotals:
    """
    Attributes:
        sessions (int):
        energy_added_wh (int | None):
    """

    sessions: int
    energy_added_wh: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sessions = self.sessions

        energy_added_wh: int | None
        energy_added_wh = self.energy_added_wh

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sessions": sessions,
                "energy_added_wh": energy_added_wh,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sessions = d.pop("sessions")

        def _parse_energy_added_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        energy_added_wh = _parse_energy_added_wh(d.pop("energy_added_wh"))

        charging_totals = cls(
            sessions=sessions,
            energy_added_wh=energy_added_wh,
        )

        charging_totals.additional_properties = d
        return charging_totals

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
