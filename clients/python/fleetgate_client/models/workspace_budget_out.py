from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkspaceBudgetOut")


@_attrs_define
class WorkspaceBudgetOut:
    """
    Attributes:
        signals_per_day (int | None):
        signals_today (int): Signals received from the workspace's vehicles since 00:00 UTC
    """

    signals_per_day: int | None
    signals_today: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        signals_per_day: int | None
        signals_per_day = self.signals_per_day

        signals_today = self.signals_today

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "signals_per_day": signals_per_day,
                "signals_today": signals_today,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_signals_per_day(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        signals_per_day = _parse_signals_per_day(d.pop("signals_per_day"))

        signals_today = d.pop("signals_today")

        workspace_budget_out = cls(
            signals_per_day=signals_per_day,
            signals_today=signals_today,
        )

        workspace_budget_out.additional_properties = d
        return workspace_budget_out

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
