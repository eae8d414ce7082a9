from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="WorkspaceBudgetIn")


@_attrs_define
class WorkspaceBudgetIn:
    """
    Attributes:
        signals_per_day (int | None): All the workspace's vehicles together; null: no budget
    """

    signals_per_day: int | None

    def to_dict(self) -> dict[str, Any]:
        signals_per_day: int | None
        signals_per_day = self.signals_per_day

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "signals_per_day": signals_per_day,
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

        workspace_budget_in = cls(
            signals_per_day=signals_per_day,
        )

        return workspace_budget_in
