from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.field_cost_out import FieldCostOut
    from ..models.polling_cost_out import PollingCostOut


T = TypeVar("T", bound="CostEstimateOut")


@_attrs_define
class CostEstimateOut:
    """
    Attributes:
        signals_per_day (float): Signals a typical day (see `assumptions`), all fields
        usd_per_day (float):
        usd_per_month (float): 30 days
        fields (list[FieldCostOut]): Per Tesla field (fields that share one are sent once)
        polling (PollingCostOut):
        assumptions (list[str]):
    """

    signals_per_day: float
    usd_per_day: float
    usd_per_month: float
    fields: list[FieldCostOut]
    polling: PollingCostOut
    assumptions: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        signals_per_day = self.signals_per_day

        usd_per_day = self.usd_per_day

        usd_per_month = self.usd_per_month

        fields = []
        for fields_item_data in self.fields:
            fields_item = fields_item_data.to_dict()
            fields.append(fields_item)

        polling = self.polling.to_dict()

        assumptions = self.assumptions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "signals_per_day": signals_per_day,
                "usd_per_day": usd_per_day,
                "usd_per_month": usd_per_month,
                "fields": fields,
                "polling": polling,
                "assumptions": assumptions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.field_cost_out import FieldCostOut  # noqa: PLC0415
        from ..models.polling_cost_out import PollingCostOut  # noqa: PLC0415

        d = dict(src_dict)
        signals_per_day = d.pop("signals_per_day")

        usd_per_day = d.pop("usd_per_day")

        usd_per_month = d.pop("usd_per_month")

        fields = []
        _fields = d.pop("fields")
        for fields_item_data in _fields:
            fields_item = FieldCostOut.from_dict(fields_item_data)

            fields.append(fields_item)

        polling = PollingCostOut.from_dict(d.pop("polling"))

        assumptions = cast(list[str], d.pop("assumptions"))

        cost_estimate_out = cls(
            signals_per_day=signals_per_day,
            usd_per_day=usd_per_day,
            usd_per_month=usd_per_month,
            fields=fields,
            polling=polling,
            assumptions=assumptions,
        )

        cost_estimate_out.additional_properties = d
        return cost_estimate_out

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
