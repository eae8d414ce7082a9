from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FieldSetting")


@_attrs_define
class FieldSetting:
    """
    Attributes:
        interval_seconds (int | None | Unset): At most one value per this many seconds
        minimum_delta (float | None | Unset): Send only a change larger than this, in Tesla's unit (metres for
            `location`); the catalogue's default when left out
    """

    interval_seconds: int | None | Unset = UNSET
    minimum_delta: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        interval_seconds: int | None | Unset
        if isinstance(self.interval_seconds, Unset):
            interval_seconds = UNSET
        else:
            interval_seconds = self.interval_seconds

        minimum_delta: float | None | Unset
        if isinstance(self.minimum_delta, Unset):
            minimum_delta = UNSET
        else:
            minimum_delta = self.minimum_delta

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if interval_seconds is not UNSET:
            field_dict["interval_seconds"] = interval_seconds
        if minimum_delta is not UNSET:
            field_dict["minimum_delta"] = minimum_delta

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_interval_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        interval_seconds = _parse_interval_seconds(d.pop("interval_seconds", UNSET))

        def _parse_minimum_delta(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        minimum_delta = _parse_minimum_delta(d.pop("minimum_delta", UNSET))

        field_setting = cls(
            interval_seconds=interval_seconds,
            minimum_delta=minimum_delta,
        )

        return field_setting
