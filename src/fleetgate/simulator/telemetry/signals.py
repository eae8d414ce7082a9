"""What a simulated car can stream: its modelled state under the names of Tesla's `Field` enum, typed as the car types
them (miles, °C, kW, hours; enums by their Tesla names).

A configured field the car does not model is simply never sent, as a real car sends nothing for a signal its
hardware lacks.
"""

from __future__ import annotations

from collections.abc import Callable

from fleetgate.protocol.telemetry.records import Location, TelemetryValue
from fleetgate.simulator.vehicles.driving import KM_PER_MILE
from fleetgate.simulator.vehicles.vehicle import Vehicle

_DETAILED_CHARGE_STATES = {
    "Disconnected": "DetailedChargeStateDisconnected",
    "NoPower": "DetailedChargeStateNoPower",
    "Starting": "DetailedChargeStateStarting",
    "Charging": "DetailedChargeStateCharging",
    "Complete": "DetailedChargeStateComplete",
    "Stopped": "DetailedChargeStateStopped",
}
_CAR_TYPES = {
    "Model S": "CarTypeModelS",
    "Model X": "CarTypeModelX",
    "Model 3": "CarTypeModel3",
    "Model Y": "CarTypeModelY",
    "Cybertruck": "CarTypeCybertruck",
}
_CLIMATE_KEEPER = {
    "off": "ClimateKeeperModeStateOff",
    "keep": "ClimateKeeperModeStateOn",
    "dog": "ClimateKeeperModeStateDog",
    "camp": "ClimateKeeperModeStateParty",
}


def _charge_state(car: Vehicle) -> str:
    return _DETAILED_CHARGE_STATES.get(car.charging_state, "DetailedChargeStateUnknown")


def _hours_to_full(car: Vehicle) -> float:
    return round(car.minutes_to_full_charge() / 60.0, 2)


SIGNALS: dict[str, Callable[[Vehicle], TelemetryValue]] = {
    "VehicleName": lambda car: car.display_name,
    "Version": lambda car: car.firmware,
    "CarType": lambda car: _CAR_TYPES.get(car.model, "CarTypeUnknown"),
    # battery and charging
    "BatteryLevel": lambda car: round(car.battery_level, 2),
    "Soc": lambda car: round(car.battery_level, 2),
    "ChargeLimitSoc": lambda car: car.charge_limit_soc,
    "DetailedChargeState": _charge_state,
    "ChargeState": lambda car: "ChargeState" + car.charging_state,
    "EstBatteryRange": lambda car: round(car.battery_range(), 2),
    "RatedRange": lambda car: round(car.battery_range(), 2),
    "IdealBatteryRange": lambda car: round(car.battery_range(), 2),
    "ChargeAmps": lambda car: float(car.charge_amps if car.charging_state == "Charging" else 0),
    "ChargeCurrentRequest": lambda car: car.charge_amps,
    "ChargeCurrentRequestMax": lambda car: car.charge_current_request_max,
    "ChargerVoltage": lambda car: float(car.charger_voltage if car.plugged_in else 0),
    "ChargerPhases": lambda car: car.charger_phases,
    "ACChargingPower": lambda car: round(car.charger_power_kw(), 2),
    "ACChargingEnergyIn": lambda car: round(car.charge_energy_added, 3),
    "TimeToFullCharge": _hours_to_full,
    "ChargePortDoorOpen": lambda car: car.charge_port_door_open,
    "ChargePortLatch": lambda car: "ChargePortLatchEngaged" if car.plugged_in else "ChargePortLatchDisengaged",
    "FastChargerPresent": lambda car: False,
    "ScheduledChargingMode": lambda car: "ScheduledChargingMode" + car.scheduled_charging_mode,
    "ScheduledChargingPending": lambda car: car.scheduled_charging_pending(),
    # climate
    "InsideTemp": lambda car: round(car.inside_temp, 2),
    "OutsideTemp": lambda car: round(car.outside_temp, 2),
    "HvacPower": lambda car: "HvacPowerStateOn" if car.is_climate_on else "HvacPowerStateOff",
    "HvacLeftTemperatureRequest": lambda car: car.driver_temp_setting,
    "HvacRightTemperatureRequest": lambda car: car.passenger_temp_setting,
    "ClimateKeeperMode": lambda car: _CLIMATE_KEEPER.get(car.climate_keeper_mode, "ClimateKeeperModeStateUnknown"),
    # body and drive
    "Locked": lambda car: car.locked,
    "SentryMode": lambda car: "SentryModeStateArmed" if car.sentry_mode else "SentryModeStateOff",
    "ValetModeEnabled": lambda car: car.valet_mode,
    "GuestModeEnabled": lambda car: car.guest_mode,
    "PinToDriveEnabled": lambda car: car.pin_to_drive,
    "Odometer": lambda car: round(car.odometer, 2),
    "Location": lambda car: Location(latitude=car.latitude, longitude=car.longitude),
    "GpsHeading": lambda car: float(car.heading),
    "Gear": lambda car: "ShiftStateD" if car.drive is not None else "ShiftStateP",
    "VehicleSpeed": lambda car: round(car.drive.speed_kph / KM_PER_MILE, 1) if car.drive is not None else 0.0,
}


def signals_of(car: Vehicle, names: set[str] | frozenset[str]) -> dict[str, TelemetryValue]:
    """The named fields' values now, for the fields the car models."""
    return {name: SIGNALS[name](car) for name in names if name in SIGNALS}
