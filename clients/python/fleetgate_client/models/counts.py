from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Counts")


@_attrs_define
class Counts:
    """
    Attributes:
        data (int | Unset):  Default: 0.
        commands (int | Unset):  Default: 0.
        wakes (int | Unset):  Default: 0.
        streaming_signals (int | Unset): Datums cars streamed (Fleet Telemetry) Default: 0.
    """

    data: int | Unset = 0
    commands: int | Unset = 0
    wakes: int | Unset = 0
    streaming_signals: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data

        commands = self.commands

        wakes = self.wakes

        streaming_signals = self.streaming_signals

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if data is not UNSET:
            field_dict["data"] = data
        if commands is not UNSET:
            field_dict["commands"] = commands
        if wakes is not UNSET:
            field_dict["wakes"] = wakes
        if streaming_signals is not UNSET:
            field_dict["streaming_signals"] = streaming_signals

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data = d.pop("data", UNSET)

        commands = d.pop("commands", UNSET)

        wakes = d.pop("wakes", UNSET)

        streaming_signals = d.pop("streaming_signals", UNSET)

        counts = cls(
            data=data,
            commands=commands,
            wakes=wakes,
            streaming_signals=streaming_signals,
        )

        counts.additional_properties = d
        return counts

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
