from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Costs")


@_attrs_define
class Costs:
    """
    Attributes:
        data (float):
        commands (float):
        wakes (float):
        streaming_signals (float):
        total (float):
    """

    data: float
    commands: float
    wakes: float
    streaming_signals: float
    total: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        commands = self.commands

        wakes = self.wakes

        streaming_signals = self.streaming_signals

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "commands": commands,
                "wakes": wakes,
                "streaming_signals": streaming_signals,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = d.pop("data")

        commands = d.pop("commands")

        wakes = d.pop("wakes")

        streaming_signals = d.pop("streaming_signals")

        total = d.pop("total")

        costs = cls(
            data=data,
            commands=commands,
            wakes=wakes,
            streaming_signals=streaming_signals,
            total=total,
        )

        costs.additional_properties = d
        return costs

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
