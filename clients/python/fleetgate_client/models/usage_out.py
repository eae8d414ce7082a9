from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.connection_usage import ConnectionUsage
    from ..models.costs import Costs
    from ..models.counts import Counts
    from ..models.period import Period


T = TypeVar("T", bound="UsageOut")


@_attrs_define
class UsageOut:
    """
    Attributes:
        period (Period):
        totals (Counts):
        estimated_cost_usd (Costs):
        calls_per_usd (Counts):
        by_connection (list[ConnectionUsage]):
        unbilled_calls (int): Calls to endpoints Tesla does not charge for (products, fleet_status, the vehicle
            summary…)
        errors_not_billed (int): Calls of a billed category Tesla does not bill: answered 500 or above, never answered
            (a transport error, or still in flight), or refused before being served (expired token, wrong region) and sent
            again
    """

    period: Period
    totals: Counts
    estimated_cost_usd: Costs
    calls_per_usd: Counts
    by_connection: list[ConnectionUsage]
    unbilled_calls: int
    errors_not_billed: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        period = self.period.to_dict()

        totals = self.totals.to_dict()

        estimated_cost_usd = self.estimated_cost_usd.to_dict()

        calls_per_usd = self.calls_per_usd.to_dict()

        by_connection = []
        for by_connection_item_data in self.by_connection:
            by_connection_item = by_connection_item_data.to_dict()
            by_connection.append(by_connection_item)

        unbilled_calls = self.unbilled_calls

        errors_not_billed = self.errors_not_billed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "totals": totals,
                "estimated_cost_usd": estimated_cost_usd,
                "calls_per_usd": calls_per_usd,
                "by_connection": by_connection,
                "unbilled_calls": unbilled_calls,
                "errors_not_billed": errors_not_billed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_usage import ConnectionUsage  # noqa: PLC0415
        from ..models.costs import Costs  # noqa: PLC0415
        from ..models.counts import Counts  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415

        d = dict(src_dict)
        period = Period.from_dict(d.pop("period"))

        totals = Counts.from_dict(d.pop("totals"))

        estimated_cost_usd = Costs.from_dict(d.pop("estimated_cost_usd"))

        calls_per_usd = Counts.from_dict(d.pop("calls_per_usd"))

        by_connection = []
        _by_connection = d.pop("by_connection")
        for by_connection_item_data in _by_connection:
            by_connection_item = ConnectionUsage.from_dict(by_connection_item_data)

            by_connection.append(by_connection_item)

        unbilled_calls = d.pop("unbilled_calls")

        errors_not_billed = d.pop("errors_not_billed")

        usage_out = cls(
            period=period,
            totals=totals,
            estimated_cost_usd=estimated_cost_usd,
            calls_per_usd=calls_per_usd,
            by_connection=by_connection,
            unbilled_calls=unbilled_calls,
            errors_not_billed=errors_not_billed,
        )

        usage_out.additional_properties = d
        return usage_out

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
