from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PollingCostOut")


@_attrs_define
class PollingCostOut:
    """
    Attributes:
        freshness_seconds (int): One vehicle_data call per this many seconds while the car is awake
        requests_per_day (float):
        usd_per_day (float):
        usd_per_month (float):
    """

    freshness_seconds: int
    requests_per_day: float
    usd_per_day: float
    usd_per_month: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        freshness_seconds = self.freshness_seconds

        requests_per_day = self.requests_per_day

        usd_per_day = self.usd_per_day

        usd_per_month = self.usd_per_month

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "freshness_seconds": freshness_seconds,
                "requests_per_day": requests_per_day,
                "usd_per_day": usd_per_day,
                "usd_per_month": usd_per_month,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        freshness_seconds = d.pop("freshness_seconds")

        requests_per_day = d.pop("requests_per_day")

        usd_per_day = d.pop("usd_per_day")

        usd_per_month = d.pop("usd_per_month")

        polling_cost_out = cls(
            freshness_seconds=freshness_seconds,
            requests_per_day=requests_per_day,
            usd_per_day=usd_per_day,
            usd_per_month=usd_per_month,
        )

        polling_cost_out.additional_properties = d
        return polling_cost_out

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
