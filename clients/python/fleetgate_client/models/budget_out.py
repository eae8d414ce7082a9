from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BudgetOut")


@_attrs_define
class BudgetOut:
    """
    Attributes:
        signals_per_day (int | None): The device's own budget; null: none
        workspace_signals_per_day (int | None): The workspace's budget, all vehicles together
        signals_today (int): Signals received from the car since 00:00 UTC
        paused_until (datetime.datetime | None): While `paused_budget`: when the config is posted again
    """

    signals_per_day: int | None
    workspace_signals_per_day: int | None
    signals_today: int
    paused_until: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        signals_per_day: int | None
        signals_per_day = self.signals_per_day

        workspace_signals_per_day: int | None
        workspace_signals_per_day = self.workspace_signals_per_day

        signals_today = self.signals_today

        paused_until: None | str
        if isinstance(self.paused_until, datetime.datetime):
            paused_until = self.paused_until.isoformat()
        else:
            paused_until = self.paused_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "signals_per_day": signals_per_day,
                "workspace_signals_per_day": workspace_signals_per_day,
                "signals_today": signals_today,
                "paused_until": paused_until,
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

        def _parse_workspace_signals_per_day(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        workspace_signals_per_day = _parse_workspace_signals_per_day(d.pop("workspace_signals_per_day"))

        signals_today = d.pop("signals_today")

        def _parse_paused_until(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                paused_until_type_0 = datetime.datetime.fromisoformat(data)

                return paused_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        paused_until = _parse_paused_until(d.pop("paused_until"))

        budget_out = cls(
            signals_per_day=signals_per_day,
            workspace_signals_per_day=workspace_signals_per_day,
            signals_today=signals_today,
            paused_until=paused_until,
        )

        budget_out.additional_properties = d
        return budget_out

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
