from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ScheduledCharging")


@_attrs_define
class ScheduledCharging:
    """
    Attributes:
        enabled (bool | None): Whether the car waits for a set start time before charging
        start_minute (int | None): When it starts, in minutes after midnight in the car's local time (null when not
            enabled)
    """

    enabled: bool | None
    start_minute: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled: bool | None
        enabled = self.enabled

        start_minute: int | None
        start_minute = self.start_minute

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "enabled": enabled,
                "start_minute": start_minute,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_enabled(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        enabled = _parse_enabled(d.pop("enabled"))

        def _parse_start_minute(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        start_minute = _parse_start_minute(d.pop("start_minute"))

        scheduled_charging = cls(
            enabled=enabled,
            start_minute=start_minute,
        )

        scheduled_charging.additional_properties = d
        return scheduled_charging

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
