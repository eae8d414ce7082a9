from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.telemetry_in_alert_types_item import TelemetryInAlertTypesItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.telemetry_in_fields_type_1 import TelemetryInFieldsType1


T = TypeVar("T", bound="TelemetryIn")


@_attrs_define
class TelemetryIn:
    """
    Attributes:
        fields (list[str] | TelemetryInFieldsType1): The state fields to stream, by the names of `GET
            /v1/devices/{id}/state`: a list, or an object of each field's own interval and minimum_delta
        interval_seconds (int | None | Unset): Every field's interval unless it sets its own (60 s by default)
        freshness_seconds (int | None | Unset): Instead of `interval_seconds`: how old a field may be at most, which is
            the interval it needs
        alert_types (list[TelemetryInAlertTypesItem] | Unset): The car's alerts to stream too
        signals_per_day_budget (int | None | Unset): Signals the car may stream a day (UTC); once spent, fleetgate
            removes the config at Tesla until the next day (`paused_budget`), since a receiver cannot stop a car from
            sending
    """

    fields: list[str] | TelemetryInFieldsType1
    interval_seconds: int | None | Unset = UNSET
    freshness_seconds: int | None | Unset = UNSET
    alert_types: list[TelemetryInAlertTypesItem] | Unset = UNSET
    signals_per_day_budget: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        fields: dict[str, Any] | list[str]
        if isinstance(self.fields, list):
            fields = self.fields

        else:
            fields = self.fields.to_dict()

        interval_seconds: int | None | Unset
        if isinstance(self.interval_seconds, Unset):
            interval_seconds = UNSET
        else:
            interval_seconds = self.interval_seconds

        freshness_seconds: int | None | Unset
        if isinstance(self.freshness_seconds, Unset):
            freshness_seconds = UNSET
        else:
            freshness_seconds = self.freshness_seconds

        alert_types: list[str] | Unset = UNSET
        if not isinstance(self.alert_types, Unset):
            alert_types = []
            for alert_types_item_data in self.alert_types:
                alert_types_item = alert_types_item_data.value
                alert_types.append(alert_types_item)

        signals_per_day_budget: int | None | Unset
        if isinstance(self.signals_per_day_budget, Unset):
            signals_per_day_budget = UNSET
        else:
            signals_per_day_budget = self.signals_per_day_budget

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
            }
        )
        if interval_seconds is not UNSET:
            field_dict["interval_seconds"] = interval_seconds
        if freshness_seconds is not UNSET:
            field_dict["freshness_seconds"] = freshness_seconds
        if alert_types is not UNSET:
            field_dict["alert_types"] = alert_types
        if signals_per_day_budget is not UNSET:
            field_dict["signals_per_day_budget"] = signals_per_day_budget

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.telemetry_in_fields_type_1 import TelemetryInFieldsType1  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_fields(data: object) -> list[str] | TelemetryInFieldsType1:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                fields_type_0 = cast(list[str], data)

                return fields_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            fields_type_1 = TelemetryInFieldsType1.from_dict(data)

            return fields_type_1

        fields = _parse_fields(d.pop("fields"))

        def _parse_interval_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        interval_seconds = _parse_interval_seconds(d.pop("interval_seconds", UNSET))

        def _parse_freshness_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        freshness_seconds = _parse_freshness_seconds(d.pop("freshness_seconds", UNSET))

        _alert_types = d.pop("alert_types", UNSET)
        alert_types: list[TelemetryInAlertTypesItem] | Unset = UNSET
        if _alert_types is not UNSET:
            alert_types = []
            for alert_types_item_data in _alert_types:
                alert_types_item = TelemetryInAlertTypesItem(alert_types_item_data)

                alert_types.append(alert_types_item)

        def _parse_signals_per_day_budget(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        signals_per_day_budget = _parse_signals_per_day_budget(d.pop("signals_per_day_budget", UNSET))

        telemetry_in = cls(
            fields=fields,
            interval_seconds=interval_seconds,
            freshness_seconds=freshness_seconds,
            alert_types=alert_types,
            signals_per_day_budget=signals_per_day_budget,
        )

        return telemetry_in
