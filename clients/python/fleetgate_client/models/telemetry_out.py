from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.telemetry_status import TelemetryStatus

if TYPE_CHECKING:
    from ..models.budget_out import BudgetOut
    from ..models.cost_estimate_out import CostEstimateOut
    from ..models.telemetry_error_out import TelemetryErrorOut
    from ..models.telemetry_out_fields import TelemetryOutFields


T = TypeVar("T", bound="TelemetryOut")


@_attrs_define
class TelemetryOut:
    """
    Attributes:
        device_id (str):
        vin (str):
        status (TelemetryStatus): `pending` until Tesla says the car has the config (`synced`); `failed` when Tesla
            reports an error of the
            car with it; `removed` when the config is gone at Tesla (Tesla tells no one: a check notices).
        fields (TelemetryOutFields):
        alert_types (list[str]):
        hostname (str): Where the car streams to
        port (int):
        expires_at (datetime.datetime): When the car stops using the config
        error (None | TelemetryErrorOut):
        synced_at (datetime.datetime | None):
        checked_at (datetime.datetime | None): When fleetgate last asked Tesla about the config
        estimate (CostEstimateOut):
        budget (BudgetOut):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    device_id: str
    vin: str
    status: TelemetryStatus
    fields: TelemetryOutFields
    alert_types: list[str]
    hostname: str
    port: int
    expires_at: datetime.datetime
    error: None | TelemetryErrorOut
    synced_at: datetime.datetime | None
    checked_at: datetime.datetime | None
    estimate: CostEstimateOut
    budget: BudgetOut
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.telemetry_error_out import TelemetryErrorOut  # noqa: PLC0415

        device_id = self.device_id

        vin = self.vin

        status = self.status.value

        fields = self.fields.to_dict()

        alert_types = self.alert_types

        hostname = self.hostname

        port = self.port

        expires_at = self.expires_at.isoformat()

        error: dict[str, Any] | None
        if isinstance(self.error, TelemetryErrorOut):
            error = self.error.to_dict()
        else:
            error = self.error

        synced_at: None | str
        if isinstance(self.synced_at, datetime.datetime):
            synced_at = self.synced_at.isoformat()
        else:
            synced_at = self.synced_at

        checked_at: None | str
        if isinstance(self.checked_at, datetime.datetime):
            checked_at = self.checked_at.isoformat()
        else:
            checked_at = self.checked_at

        estimate = self.estimate.to_dict()

        budget = self.budget.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "device_id": device_id,
                "vin": vin,
                "status": status,
                "fields": fields,
                "alert_types": alert_types,
                "hostname": hostname,
                "port": port,
                "expires_at": expires_at,
                "error": error,
                "synced_at": synced_at,
                "checked_at": checked_at,
                "estimate": estimate,
                "budget": budget,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.budget_out import BudgetOut  # noqa: PLC0415
        from ..models.cost_estimate_out import CostEstimateOut  # noqa: PLC0415
        from ..models.telemetry_error_out import TelemetryErrorOut  # noqa: PLC0415
        from ..models.telemetry_out_fields import TelemetryOutFields  # noqa: PLC0415

        d = dict(src_dict)
        device_id = d.pop("device_id")

        vin = d.pop("vin")

        status = TelemetryStatus(d.pop("status"))

        fields = TelemetryOutFields.from_dict(d.pop("fields"))

        alert_types = cast(list[str], d.pop("alert_types"))

        hostname = d.pop("hostname")

        port = d.pop("port")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        def _parse_error(data: object) -> None | TelemetryErrorOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = TelemetryErrorOut.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TelemetryErrorOut, data)

        error = _parse_error(d.pop("error"))

        def _parse_synced_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                synced_at_type_0 = datetime.datetime.fromisoformat(data)

                return synced_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        synced_at = _parse_synced_at(d.pop("synced_at"))

        def _parse_checked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                checked_at_type_0 = datetime.datetime.fromisoformat(data)

                return checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        checked_at = _parse_checked_at(d.pop("checked_at"))

        estimate = CostEstimateOut.from_dict(d.pop("estimate"))

        budget = BudgetOut.from_dict(d.pop("budget"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        telemetry_out = cls(
            device_id=device_id,
            vin=vin,
            status=status,
            fields=fields,
            alert_types=alert_types,
            hostname=hostname,
            port=port,
            expires_at=expires_at,
            error=error,
            synced_at=synced_at,
            checked_at=checked_at,
            estimate=estimate,
            budget=budget,
            created_at=created_at,
            updated_at=updated_at,
        )

        telemetry_out.additional_properties = d
        return telemetry_out

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
