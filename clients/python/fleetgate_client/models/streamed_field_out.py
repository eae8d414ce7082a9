from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StreamedFieldOut")


@_attrs_define
class StreamedFieldOut:
    """
    Attributes:
        tesla_field (str): Tesla's Field that carries it
        interval_seconds (int):
        minimum_delta (float | None):
    """

    tesla_field: str
    interval_seconds: int
    minimum_delta: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tesla_field = self.tesla_field

        interval_seconds = self.interval_seconds

        minimum_delta: float | None
        minimum_delta = self.minimum_delta

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tesla_field": tesla_field,
                "interval_seconds": interval_seconds,
                "minimum_delta": minimum_delta,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tesla_field = d.pop("tesla_field")

        interval_seconds = d.pop("interval_seconds")

        def _parse_minimum_delta(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        minimum_delta = _parse_minimum_delta(d.pop("minimum_delta"))

        streamed_field_out = cls(
            tesla_field=tesla_field,
            interval_seconds=interval_seconds,
            minimum_delta=minimum_delta,
        )

        streamed_field_out.additional_properties = d
        return streamed_field_out

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
