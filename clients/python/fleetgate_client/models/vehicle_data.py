from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vehicle_data_charging_state_type_0 import VehicleDataChargingStateType0
from ..models.vehicle_data_online_state_type_0 import VehicleDataOnlineStateType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.charge_schedule import ChargeSchedule
    from ..models.location import Location
    from ..models.precondition_schedule import PreconditionSchedule
    from ..models.scheduled_charging import ScheduledCharging


T = TypeVar("T", bound="VehicleData")


@_attrs_define
class VehicleData:
    """A vehicle's state from Tesla's `vehicle_data`.

    Attributes:
        online_state (None | VehicleDataOnlineStateType0): online, asleep or offline, as Tesla said when read
        battery_level_pct (float | None): State of charge, percent
        battery_range_km (float | None): Estimated range at the current charge, km
        battery_range_mi (float | None): The same range in miles, as Tesla reports it
        charging_state (None | VehicleDataChargingStateType0): Tesla's charging state; `unknown` for a value this
            version does not know
        charge_limit_pct (int | None): Charge limit, percent
        charge_power_kw (float | None): Charging power, kW
        charge_current_a (float | None): Charging current drawn, A
        charge_voltage_v (float | None): Charger voltage, V
        plugged_in (bool | None): Whether a charge cable is connected
        minutes_to_full_charge (int | None): Minutes until the charge limit is reached
        charge_port_open (bool | None): Whether the charge port door is open
        scheduled_charging (None | ScheduledCharging): Scheduled charging (Tesla's `StartAt` mode)
        locked (bool | None): Whether the doors are locked
        sentry_mode (bool | None): Whether Sentry Mode is on
        climate_on (bool | None): Whether the climate system is running
        inside_temp_c (float | None): Cabin temperature, °C
        outside_temp_c (float | None): Outside temperature, °C
        driver_temp_setting_c (float | None): Driver's climate setting, °C
        odometer_km (float | None): Odometer, km
        odometer_mi (float | None): Odometer in miles, as Tesla reports it
        software_version (None | str): The car's firmware version, e.g. 2025.20.6
        charge_schedules (list[ChargeSchedule] | None | Unset): The car's charge schedules (`add_charge_schedule`); null
            when Tesla sent none
        precondition_schedules (list[PreconditionSchedule] | None | Unset): The car's precondition schedules
            (`add_precondition_schedule`); null when Tesla sent none
        location (Location | None | Unset): Where the car is. Present only when the connection has the `read_location`
            capability (Tesla's `vehicle_location` scope): without it fleetgate never asks Tesla for the location and never
            stores it, and this field is left out
    """

    online_state: None | VehicleDataOnlineStateType0
    battery_level_pct: float | None
    battery_range_km: float | None
    battery_range_mi: float | None
    charging_state: None | VehicleDataChargingStateType0
    charge_limit_pct: int | None
    charge_power_kw: float | None
    charge_current_a: float | None
    charge_voltage_v: float | None
    plugged_in: bool | None
    minutes_to_full_charge: int | None
    charge_port_open: bool | None
    scheduled_charging: None | ScheduledCharging
    locked: bool | None
    sentry_mode: bool | None
    climate_on: bool | None
    inside_temp_c: float | None
    outside_temp_c: float | None
    driver_temp_setting_c: float | None
    odometer_km: float | None
    odometer_mi: float | None
    software_version: None | str
    charge_schedules: list[ChargeSchedule] | None | Unset = UNSET
    precondition_schedules: list[PreconditionSchedule] | None | Unset = UNSET
    location: Location | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.location import Location  # noqa: PLC0415
        from ..models.scheduled_charging import ScheduledCharging  # noqa: PLC0415

        online_state: None | str
        if isinstance(self.online_state, VehicleDataOnlineStateType0):
            online_state = self.online_state.value
        else:
            online_state = self.online_state

        battery_level_pct: float | None
        battery_level_pct = self.battery_level_pct

        battery_range_km: float | None
        battery_range_km = self.battery_range_km

        battery_range_mi: float | None
        battery_range_mi = self.battery_range_mi

        charging_state: None | str
        if isinstance(self.charging_state, VehicleDataChargingStateType0):
            charging_state = self.charging_state.value
        else:
            charging_state = self.charging_state

        charge_limit_pct: int | None
        charge_limit_pct = self.charge_limit_pct

        charge_power_kw: float | None
        charge_power_kw = self.charge_power_kw

        charge_current_a: float | None
        charge_current_a = self.charge_current_a

        charge_voltage_v: float | None
        charge_voltage_v = self.charge_voltage_v

        plugged_in: bool | None
        plugged_in = self.plugged_in

        minutes_to_full_charge: int | None
        minutes_to_full_charge = self.minutes_to_full_charge

        charge_port_open: bool | None
        charge_port_open = self.charge_port_open

        scheduled_charging: dict[str, Any] | None
        if isinstance(self.scheduled_charging, ScheduledCharging):
            scheduled_charging = self.scheduled_charging.to_dict()
        else:
            scheduled_charging = self.scheduled_charging

        locked: bool | None
        locked = self.locked

        sentry_mode: bool | None
        sentry_mode = self.sentry_mode

        climate_on: bool | None
        climate_on = self.climate_on

        inside_temp_c: float | None
        inside_temp_c = self.inside_temp_c

        outside_temp_c: float | None
        outside_temp_c = self.outside_temp_c

        driver_temp_setting_c: float | None
        driver_temp_setting_c = self.driver_temp_setting_c

        odometer_km: float | None
        odometer_km = self.odometer_km

        odometer_mi: float | None
        odometer_mi = self.odometer_mi

        software_version: None | str
        software_version = self.software_version

        charge_schedules: list[dict[str, Any]] | None | Unset
        if isinstance(self.charge_schedules, Unset):
            charge_schedules = UNSET
        elif isinstance(self.charge_schedules, list):
            charge_schedules = []
            for charge_schedules_type_0_item_data in self.charge_schedules:
                charge_schedules_type_0_item = charge_schedules_type_0_item_data.to_dict()
                charge_schedules.append(charge_schedules_type_0_item)

        else:
            charge_schedules = self.charge_schedules

        precondition_schedules: list[dict[str, Any]] | None | Unset
        if isinstance(self.precondition_schedules, Unset):
            precondition_schedules = UNSET
        elif isinstance(self.precondition_schedules, list):
            precondition_schedules = []
            for precondition_schedules_type_0_item_data in self.precondition_schedules:
                precondition_schedules_type_0_item = precondition_schedules_type_0_item_data.to_dict()
                precondition_schedules.append(precondition_schedules_type_0_item)

        else:
            precondition_schedules = self.precondition_schedules

        location: dict[str, Any] | None | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        elif isinstance(self.location, Location):
            location = self.location.to_dict()
        else:
            location = self.location

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "online_state": online_state,
                "battery_level_pct": battery_level_pct,
                "battery_range_km": battery_range_km,
                "battery_range_mi": battery_range_mi,
                "charging_state": charging_state,
                "charge_limit_pct": charge_limit_pct,
                "charge_power_kw": charge_power_kw,
                "charge_current_a": charge_current_a,
                "charge_voltage_v": charge_voltage_v,
                "plugged_in": plugged_in,
                "minutes_to_full_charge": minutes_to_full_charge,
                "charge_port_open": charge_port_open,
                "scheduled_charging": scheduled_charging,
                "locked": locked,
                "sentry_mode": sentry_mode,
                "climate_on": climate_on,
                "inside_temp_c": inside_temp_c,
                "outside_temp_c": outside_temp_c,
                "driver_temp_setting_c": driver_temp_setting_c,
                "odometer_km": odometer_km,
                "odometer_mi": odometer_mi,
                "software_version": software_version,
            }
        )
        if charge_schedules is not UNSET:
            field_dict["charge_schedules"] = charge_schedules
        if precondition_schedules is not UNSET:
            field_dict["precondition_schedules"] = precondition_schedules
        if location is not UNSET:
            field_dict["location"] = location

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.charge_schedule import ChargeSchedule  # noqa: PLC0415
        from ..models.location import Location  # noqa: PLC0415
        from ..models.precondition_schedule import PreconditionSchedule  # noqa: PLC0415
        from ..models.scheduled_charging import ScheduledCharging  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_online_state(data: object) -> None | VehicleDataOnlineStateType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                online_state_type_0 = VehicleDataOnlineStateType0(data)

                return online_state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VehicleDataOnlineStateType0, data)

        online_state = _parse_online_state(d.pop("online_state"))

        def _parse_battery_level_pct(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        battery_level_pct = _parse_battery_level_pct(d.pop("battery_level_pct"))

        def _parse_battery_range_km(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        battery_range_km = _parse_battery_range_km(d.pop("battery_range_km"))

        def _parse_battery_range_mi(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        battery_range_mi = _parse_battery_range_mi(d.pop("battery_range_mi"))

        def _parse_charging_state(data: object) -> None | VehicleDataChargingStateType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                charging_state_type_0 = VehicleDataChargingStateType0(data)

                return charging_state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VehicleDataChargingStateType0, data)

        charging_state = _parse_charging_state(d.pop("charging_state"))

        def _parse_charge_limit_pct(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        charge_limit_pct = _parse_charge_limit_pct(d.pop("charge_limit_pct"))

        def _parse_charge_power_kw(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        charge_power_kw = _parse_charge_power_kw(d.pop("charge_power_kw"))

        def _parse_charge_current_a(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        charge_current_a = _parse_charge_current_a(d.pop("charge_current_a"))

        def _parse_charge_voltage_v(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        charge_voltage_v = _parse_charge_voltage_v(d.pop("charge_voltage_v"))

        def _parse_plugged_in(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        plugged_in = _parse_plugged_in(d.pop("plugged_in"))

        def _parse_minutes_to_full_charge(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        minutes_to_full_charge = _parse_minutes_to_full_charge(d.pop("minutes_to_full_charge"))

        def _parse_charge_port_open(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        charge_port_open = _parse_charge_port_open(d.pop("charge_port_open"))

        def _parse_scheduled_charging(data: object) -> None | ScheduledCharging:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scheduled_charging_type_0 = ScheduledCharging.from_dict(data)

                return scheduled_charging_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScheduledCharging, data)

        scheduled_charging = _parse_scheduled_charging(d.pop("scheduled_charging"))

        def _parse_locked(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        locked = _parse_locked(d.pop("locked"))

        def _parse_sentry_mode(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        sentry_mode = _parse_sentry_mode(d.pop("sentry_mode"))

        def _parse_climate_on(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        climate_on = _parse_climate_on(d.pop("climate_on"))

        def _parse_inside_temp_c(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        inside_temp_c = _parse_inside_temp_c(d.pop("inside_temp_c"))

        def _parse_outside_temp_c(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        outside_temp_c = _parse_outside_temp_c(d.pop("outside_temp_c"))

        def _parse_driver_temp_setting_c(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        driver_temp_setting_c = _parse_driver_temp_setting_c(d.pop("driver_temp_setting_c"))

        def _parse_odometer_km(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        odometer_km = _parse_odometer_km(d.pop("odometer_km"))

        def _parse_odometer_mi(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        odometer_mi = _parse_odometer_mi(d.pop("odometer_mi"))

        def _parse_software_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        software_version = _parse_software_version(d.pop("software_version"))

        def _parse_charge_schedules(data: object) -> list[ChargeSchedule] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                charge_schedules_type_0 = []
                _charge_schedules_type_0 = data
                for charge_schedules_type_0_item_data in _charge_schedules_type_0:
                    charge_schedules_type_0_item = ChargeSchedule.from_dict(charge_schedules_type_0_item_data)

                    charge_schedules_type_0.append(charge_schedules_type_0_item)

                return charge_schedules_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ChargeSchedule] | None | Unset, data)

        charge_schedules = _parse_charge_schedules(d.pop("charge_schedules", UNSET))

        def _parse_precondition_schedules(data: object) -> list[PreconditionSchedule] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                precondition_schedules_type_0 = []
                _precondition_schedules_type_0 = data
                for precondition_schedules_type_0_item_data in _precondition_schedules_type_0:
                    precondition_schedules_type_0_item = PreconditionSchedule.from_dict(
                        precondition_schedules_type_0_item_data
                    )

                    precondition_schedules_type_0.append(precondition_schedules_type_0_item)

                return precondition_schedules_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PreconditionSchedule] | None | Unset, data)

        precondition_schedules = _parse_precondition_schedules(d.pop("precondition_schedules", UNSET))

        def _parse_location(data: object) -> Location | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                location_type_0 = Location.from_dict(data)

                return location_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Location | None | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        vehicle_data = cls(
            online_state=online_state,
            battery_level_pct=battery_level_pct,
            battery_range_km=battery_range_km,
            battery_range_mi=battery_range_mi,
            charging_state=charging_state,
            charge_limit_pct=charge_limit_pct,
            charge_power_kw=charge_power_kw,
            charge_current_a=charge_current_a,
            charge_voltage_v=charge_voltage_v,
            plugged_in=plugged_in,
            minutes_to_full_charge=minutes_to_full_charge,
            charge_port_open=charge_port_open,
            scheduled_charging=scheduled_charging,
            locked=locked,
            sentry_mode=sentry_mode,
            climate_on=climate_on,
            inside_temp_c=inside_temp_c,
            outside_temp_c=outside_temp_c,
            driver_temp_setting_c=driver_temp_setting_c,
            odometer_km=odometer_km,
            odometer_mi=odometer_mi,
            software_version=software_version,
            charge_schedules=charge_schedules,
            precondition_schedules=precondition_schedules,
            location=location,
        )

        vehicle_data.additional_properties = d
        return vehicle_data

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
