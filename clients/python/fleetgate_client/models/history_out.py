from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.history_out_kind import HistoryOutKind
from ..models.history_out_period import HistoryOutPeriod
from ..models.history_out_source import HistoryOutSource
from ..models.history_out_type import HistoryOutType

if TYPE_CHECKING:
    from ..models.backup_history import BackupHistory
    from ..models.charging_history import ChargingHistory
    from ..models.energy_history import EnergyHistory
    from ..models.history_range import HistoryRange


T = TypeVar("T", bound="HistoryOut")


@_attrs_define
class HistoryOut:
    """
    Example:
        {'closed': True, 'device_id': 'dev_3f9c0b1e2d4a5b6c7d8e9f00', 'energy': {'intervals': [{'battery_charge_wh':
            9120, 'battery_discharge_wh': 8344, 'battery_to_grid_wh': 0, 'battery_to_home_wh': 8344, 'end':
            '2026-12-06T00:00:00-08:00', 'grid_export_wh': 29410, 'grid_import_wh': 6120, 'grid_to_battery_wh': 68,
            'grid_to_home_wh': 5516, 'home_wh': 28810, 'solar_to_battery_wh': 9052, 'solar_to_grid_wh': 29410,
            'solar_to_home_wh': 14950, 'solar_wh': 53412, 'start': '2026-12-05T00:00:00-08:00'}], 'totals':
            {'battery_charge_wh': 9120, 'battery_discharge_wh': 8344, 'battery_to_grid_wh': 0, 'battery_to_home_wh': 8344,
            'grid_export_wh': 29410, 'grid_import_wh': 6120, 'grid_to_battery_wh': 68, 'grid_to_home_wh': 5516, 'home_wh':
            28810, 'solar_to_battery_wh': 9052, 'solar_to_grid_wh': 29410, 'solar_to_home_wh': 14950, 'solar_wh': 53412}},
            'fetched_at': '2026-12-06T09:12:03.412Z', 'kind': 'energy', 'period': 'day', 'range': {'end':
            '2026-12-06T00:00:00-08:00', 'start': '2026-12-05T00:00:00-08:00'}, 'source': 'cache', 'time_zone':
            'America/Los_Angeles', 'type': 'energy_site'}

    Attributes:
        device_id (str):
        type_ (HistoryOutType):
        kind (HistoryOutKind):
        period (HistoryOutPeriod):
        range_ (HistoryRange):
        time_zone (str): IANA time zone the range and intervals are cut in: `time_zone` if asked, else the site's (UTC
            for a car)
        source (HistoryOutSource): `cache`: the stored read; `live`: read from Tesla now
        fetched_at (str): When the data was read from Tesla, ISO 8601 UTC
        closed (bool): Whether the range can no longer change (then it is read from Tesla only once)
        energy (EnergyHistory | None): For `kind=energy`, else null
        backup (BackupHistory | None): For `kind=backup`, else null
        charging (ChargingHistory | None): For `kind=charging`, else null
    """

    device_id: str
    type_: HistoryOutType
    kind: HistoryOutKind
    period: HistoryOutPeriod
    range_: HistoryRange
    time_zone: str
    source: HistoryOutSource
    fetched_at: str
    closed: bool
    energy: EnergyHistory | None
    backup: BackupHistory | None
    charging: ChargingHistory | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.backup_history import BackupHistory  # noqa: PLC0415
        from ..models.charging_history import ChargingHistory  # noqa: PLC0415
        from ..models.energy_history import EnergyHistory  # noqa: PLC0415

        device_id = self.device_id

        type_ = self.type_.value

        kind = self.kind.value

        period = self.period.value

        range_ = self.range_.to_dict()

        time_zone = self.time_zone

        source = self.source.value

        fetched_at = self.fetched_at

        closed = self.closed

        energy: dict[str, Any] | None
        if isinstance(self.energy, EnergyHistory):
            energy = self.energy.to_dict()
        else:
            energy = self.energy

        backup: dict[str, Any] | None
        if isinstance(self.backup, BackupHistory):
            backup = self.backup.to_dict()
        else:
            backup = self.backup

        charging: dict[str, Any] | None
        if isinstance(self.charging, ChargingHistory):
            charging = self.charging.to_dict()
        else:
            charging = self.charging

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "device_id": device_id,
                "type": type_,
                "kind": kind,
                "period": period,
                "range": range_,
                "time_zone": time_zone,
                "source": source,
                "fetched_at": fetched_at,
                "closed": closed,
                "energy": energy,
                "backup": backup,
                "charging": charging,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.backup_history import BackupHistory  # noqa: PLC0415
        from ..models.charging_history import ChargingHistory  # noqa: PLC0415
        from ..models.energy_history import EnergyHistory  # noqa: PLC0415
        from ..models.history_range import HistoryRange  # noqa: PLC0415

        d = dict(src_dict)
        device_id = d.pop("device_id")

        type_ = HistoryOutType(d.pop("type"))

        kind = HistoryOutKind(d.pop("kind"))

        period = HistoryOutPeriod(d.pop("period"))

        range_ = HistoryRange.from_dict(d.pop("range"))

        time_zone = d.pop("time_zone")

        source = HistoryOutSource(d.pop("source"))

        fetched_at = d.pop("fetched_at")

        closed = d.pop("closed")

        def _parse_energy(data: object) -> EnergyHistory | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                energy_type_0 = EnergyHistory.from_dict(data)

                return energy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EnergyHistory | None, data)

        energy = _parse_energy(d.pop("energy"))

        def _parse_backup(data: object) -> BackupHistory | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                backup_type_0 = BackupHistory.from_dict(data)

                return backup_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BackupHistory | None, data)

        backup = _parse_backup(d.pop("backup"))

        def _parse_charging(data: object) -> ChargingHistory | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                charging_type_0 = ChargingHistory.from_dict(data)

                return charging_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChargingHistory | None, data)

        charging = _parse_charging(d.pop("charging"))

        history_out = cls(
            device_id=device_id,
            type_=type_,
            kind=kind,
            period=period,
            range_=range_,
            time_zone=time_zone,
            source=source,
            fetched_at=fetched_at,
            closed=closed,
            energy=energy,
            backup=backup,
            charging=charging,
        )

        history_out.additional_properties = d
        return history_out

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
