from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BackupEvent")


@_attrs_define
class BackupEvent:
    """
    Attributes:
        start (str): When the grid went down, ISO 8601 with the zone's offset
        end (None | str): When it came back (so far, for an outage still going on)
        duration_s (int | None): How long the site ran on its own, seconds
    """

    start: str
    end: None | str
    duration_s: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        start = self.start

        end: None | str
        end = self.end

        duration_s: int | None
        duration_s = self.duration_s

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "start": start,
                "end": end,
                "duration_s": duration_s,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start = d.pop("start")

        def _parse_end(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        end = _parse_end(d.pop("end"))

        def _parse_duration_s(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_s = _parse_duration_s(d.pop("duration_s"))

        backup_event = cls(
            start=start,
            end=end,
            duration_s=duration_s,
        )

        backup_event.additional_properties = d
        return backup_event

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
