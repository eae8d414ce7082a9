from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EnergyFlows")


@_attrs_define
class EnergyFlows:
    """
    Attributes:
        solar_wh (int | None): Solar generation
        home_wh (int | None): Home use, from every source
        battery_charge_wh (int | None): Energy into the battery (from solar and the grid)
        battery_discharge_wh (int | None): Energy out of the battery (to the home and the grid)
        grid_import_wh (int | None): Energy taken from the grid
        grid_export_wh (int | None): Energy sent to the grid (from solar and the battery)
        solar_to_home_wh (int | None):
        solar_to_battery_wh (int | None):
        solar_to_grid_wh (int | None):
        battery_to_home_wh (int | None):
        battery_to_grid_wh (int | None):
        grid_to_home_wh (int | None):
        grid_to_battery_wh (int | None):
    """

    solar_wh: int | None
    home_wh: int | None
    battery_charge_wh: int | None
    battery_discharge_wh: int | None
    grid_import_wh: int | None
    grid_export_wh: int | None
    solar_to_home_wh: int | None
    solar_to_battery_wh: int | None
    solar_to_grid_wh: int | None
    battery_to_home_wh: int | None
    battery_to_grid_wh: int | None
    grid_to_home_wh: int | None
    grid_to_battery_wh: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        solar_wh: int | None
        solar_wh = self.solar_wh

        home_wh: int | None
        home_wh = self.home_wh

        battery_charge_wh: int | None
        battery_charge_wh = self.battery_charge_wh

        battery_discharge_wh: int | None
        battery_discharge_wh = self.battery_discharge_wh

        grid_import_wh: int | None
        grid_import_wh = self.grid_import_wh

        grid_export_wh: int | None
        grid_export_wh = self.grid_export_wh

        solar_to_home_wh: int | None
        solar_to_home_wh = self.solar_to_home_wh

        solar_to_battery_wh: int | None
        solar_to_battery_wh = self.solar_to_battery_wh

        solar_to_grid_wh: int | None
        solar_to_grid_wh = self.solar_to_grid_wh

        battery_to_home_wh: int | None
        battery_to_home_wh = self.battery_to_home_wh

        battery_to_grid_wh: int | None
        battery_to_grid_wh = self.battery_to_grid_wh

        grid_to_home_wh: int | None
        grid_to_home_wh = self.grid_to_home_wh

        grid_to_battery_wh: int | None
        grid_to_battery_wh = self.grid_to_battery_wh

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "solar_wh": solar_wh,
                "home_wh": home_wh,
                "battery_charge_wh": battery_charge_wh,
                "battery_discharge_wh": battery_discharge_wh,
                "grid_import_wh": grid_import_wh,
                "grid_export_wh": grid_export_wh,
                "solar_to_home_wh": solar_to_home_wh,
                "solar_to_battery_wh": solar_to_battery_wh,
                "solar_to_grid_wh": solar_to_grid_wh,
                "battery_to_home_wh": battery_to_home_wh,
                "battery_to_grid_wh": battery_to_grid_wh,
                "grid_to_home_wh": grid_to_home_wh,
                "grid_to_battery_wh": grid_to_battery_wh,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_solar_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        solar_wh = _parse_solar_wh(d.pop("solar_wh"))

        def _parse_home_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        home_wh = _parse_home_wh(d.pop("home_wh"))

        def _parse_battery_charge_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        battery_charge_wh = _parse_battery_charge_wh(d.pop("battery_charge_wh"))

        def _parse_battery_discharge_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        battery_discharge_wh = _parse_battery_discharge_wh(d.pop("battery_discharge_wh"))

        def _parse_grid_import_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        grid_import_wh = _parse_grid_import_wh(d.pop("grid_import_wh"))

        def _parse_grid_export_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        grid_export_wh = _parse_grid_export_wh(d.pop("grid_export_wh"))

        def _parse_solar_to_home_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        solar_to_home_wh = _parse_solar_to_home_wh(d.pop("solar_to_home_wh"))

        def _parse_solar_to_battery_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        solar_to_battery_wh = _parse_solar_to_battery_wh(d.pop("solar_to_battery_wh"))

        def _parse_solar_to_grid_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        solar_to_grid_wh = _parse_solar_to_grid_wh(d.pop("solar_to_grid_wh"))

        def _parse_battery_to_home_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        battery_to_home_wh = _parse_battery_to_home_wh(d.pop("battery_to_home_wh"))

        def _parse_battery_to_grid_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        battery_to_grid_wh = _parse_battery_to_grid_wh(d.pop("battery_to_grid_wh"))

        def _parse_grid_to_home_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        grid_to_home_wh = _parse_grid_to_home_wh(d.pop("grid_to_home_wh"))

        def _parse_grid_to_battery_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        grid_to_battery_wh = _parse_grid_to_battery_wh(d.pop("grid_to_battery_wh"))

        energy_flows = cls(
            solar_wh=solar_wh,
            home_wh=home_wh,
            battery_charge_wh=battery_charge_wh,
            battery_discharge_wh=battery_discharge_wh,
            grid_import_wh=grid_import_wh,
            grid_export_wh=grid_export_wh,
            solar_to_home_wh=solar_to_home_wh,
            solar_to_battery_wh=solar_to_battery_wh,
            solar_to_grid_wh=solar_to_grid_wh,
            battery_to_home_wh=battery_to_home_wh,
            battery_to_grid_wh=battery_to_grid_wh,
            grid_to_home_wh=grid_to_home_wh,
            grid_to_battery_wh=grid_to_battery_wh,
        )

        energy_flows.additional_properties = d
        return energy_flows

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
