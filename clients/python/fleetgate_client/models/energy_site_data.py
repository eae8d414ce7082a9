from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.energy_site_data_grid_status_type_0 import EnergySiteDataGridStatusType0

T = TypeVar("T", bound="EnergySiteData")


@_attrs_define
class EnergySiteData:
    """An energy site's state from Tesla's `live_status` and `site_info`. Power in W, energy in Wh.

    Attributes:
        battery_level_pct (float | None): Powerwall state of charge, percent (null without one)
        battery_energy_wh (float | None): Energy stored in the Powerwalls, Wh
        battery_capacity_wh (float | None): Usable capacity of the Powerwalls, Wh
        solar_power_w (float | None): Solar production, W
        battery_power_w (float | None): Powerwall power, W: positive while discharging, negative while charging (Tesla's
            sign)
        grid_power_w (float | None): Grid power, W: positive while importing, negative while exporting
        load_power_w (float | None): Home consumption, W
        grid_status (EnergySiteDataGridStatusType0 | None): connected to the grid, or islanded (off-grid, on backup)
        backup_reserve_pct (float | None): Charge kept for outages, percent
        operation_mode (None | str): Tesla's mode: self_consumption, autonomous or backup
        storm_mode_enabled (bool | None): Whether Storm Watch may charge the Powerwalls ahead of storms
        storm_mode_active (bool | None): Whether Storm Watch is acting now
    """

    battery_level_pct: float | None
    battery_energy_wh: float | None
    battery_capacity_wh: float | None
    solar_power_w: float | None
    battery_power_w: float | None
    grid_power_w: float | None
    load_power_w: float | None
    grid_status: EnergySiteDataGridStatusType0 | None
    backup_reserve_pct: float | None
    operation_mode: None | str
    storm_mode_enabled: bool | None
    storm_mode_active: bool | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        battery_level_pct: float | None
        battery_level_pct = self.battery_level_pct

        battery_energy_wh: float | None
        battery_energy_wh = self.battery_energy_wh

        battery_capacity_wh: float | None
        battery_capacity_wh = self.battery_capacity_wh

        solar_power_w: float | None
        solar_power_w = self.solar_power_w

        battery_power_w: float | None
        battery_power_w = self.battery_power_w

        grid_power_w: float | None
        grid_power_w = self.grid_power_w

        load_power_w: float | None
        load_power_w = self.load_power_w

        grid_status: None | str
        if isinstance(self.grid_status, EnergySiteDataGridStatusType0):
            grid_status = self.grid_status.value
        else:
            grid_status = self.grid_status

        backup_reserve_pct: float | None
        backup_reserve_pct = self.backup_reserve_pct

        operation_mode: None | str
        operation_mode = self.operation_mode

        storm_mode_enabled: bool | None
        storm_mode_enabled = self.storm_mode_enabled

        storm_mode_active: bool | None
        storm_mode_active = self.storm_mode_active

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "battery_level_pct": battery_level_pct,
                "battery_energy_wh": battery_energy_wh,
                "battery_capacity_wh": battery_capacity_wh,
                "solar_power_w": solar_power_w,
                "battery_power_w": battery_power_w,
                "grid_power_w": grid_power_w,
                "load_power_w": load_power_w,
                "grid_status": grid_status,
                "backup_reserve_pct": backup_reserve_pct,
                "operation_mode": operation_mode,
                "storm_mode_enabled": storm_mode_enabled,
                "storm_mode_active": storm_mode_active,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_battery_level_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        battery_level_pct = _parse_battery_level_pct(d.pop("battery_level_pct"))

        def _parse_battery_energy_wh(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        battery_energy_wh = _parse_battery_energy_wh(d.pop("battery_energy_wh"))

        def _parse_battery_capacity_wh(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        battery_capacity_wh = _parse_battery_capacity_wh(d.pop("battery_capacity_wh"))

        def _parse_solar_power_w(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        solar_power_w = _parse_solar_power_w(d.pop("solar_power_w"))

        def _parse_battery_power_w(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        battery_power_w = _parse_battery_power_w(d.pop("battery_power_w"))

        def _parse_grid_power_w(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        grid_power_w = _parse_grid_power_w(d.pop("grid_power_w"))

        def _parse_load_power_w(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        load_power_w = _parse_load_power_w(d.pop("load_power_w"))

        def _parse_grid_status(data: object) -> EnergySiteDataGridStatusType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                grid_status_type_0 = EnergySiteDataGridStatusType0(data)

                return grid_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EnergySiteDataGridStatusType0 | None, data)

        grid_status = _parse_grid_status(d.pop("grid_status"))

        def _parse_backup_reserve_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        backup_reserve_pct = _parse_backup_reserve_pct(d.pop("backup_reserve_pct"))

        def _parse_operation_mode(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        operation_mode = _parse_operation_mode(d.pop("operation_mode"))

        def _parse_storm_mode_enabled(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        storm_mode_enabled = _parse_storm_mode_enabled(d.pop("storm_mode_enabled"))

        def _parse_storm_mode_active(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        storm_mode_active = _parse_storm_mode_active(d.pop("storm_mode_active"))

        energy_site_data = cls(
            battery_level_pct=battery_level_pct,
            battery_energy_wh=battery_energy_wh,
            battery_capacity_wh=battery_capacity_wh,
            solar_power_w=solar_power_w,
            battery_power_w=battery_power_w,
            grid_power_w=grid_power_w,
            load_power_w=load_power_w,
            grid_status=grid_status,
            backup_reserve_pct=backup_reserve_pct,
            operation_mode=operation_mode,
            storm_mode_enabled=storm_mode_enabled,
            storm_mode_active=storm_mode_active,
        )

        energy_site_data.additional_properties = d
        return energy_site_data

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
