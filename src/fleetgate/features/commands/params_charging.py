"""Parameters of the charging commands and the charge and departure schedules. Times of day are minutes after
the car's local midnight."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from fleetgate.features.commands.params import NoParams

LAST_MINUTE = 1439
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_SETS = ("All", "Weekdays")


class ChargeLimit(NoParams):
    percent: int = Field(ge=50, le=100, description="Charge limit, in percent of the battery")


class ChargingAmps(NoParams):
    charging_amps: int = Field(ge=1, le=80, description="AC charging current, in amperes (the car caps it)")


class ScheduledCharging(NoParams):
    enable: bool
    time: int | None = Field(
        default=None, ge=0, le=LAST_MINUTE, description="Start, in minutes after local midnight; required with enable"
    )

    @model_validator(mode="after")
    def _time_when_enabled(self) -> ScheduledCharging:
        if self.enable and self.time is None:
            raise ValueError("time is required when enable is true")
        return self


class ScheduledDeparture(NoParams):
    enable: bool
    departure_time: int | None = Field(
        default=None,
        ge=0,
        le=LAST_MINUTE,
        description="Departure, in minutes after local midnight; required with enable",
    )
    preconditioning_enabled: bool | None = Field(default=None, description="Warm or cool the cabin for departure")
    preconditioning_weekdays_only: bool | None = None
    off_peak_charging_enabled: bool | None = Field(default=None, description="Charge in off-peak hours only")
    off_peak_charging_weekdays_only: bool | None = None
    end_off_peak_time: int | None = Field(
        default=None, ge=0, le=LAST_MINUTE, description="End of the off-peak hours, in minutes after local midnight"
    )

    @model_validator(mode="after")
    def _time_when_enabled(self) -> ScheduledDeparture:
        if self.enable and self.departure_time is None:
            raise ValueError("departure_time is required when enable is true")
        return self


def _days(value: str) -> str:
    names = [name.strip() for name in value.split(",")]
    if value.strip() in DAY_SETS or (names and all(name in DAYS for name in names)):
        return value
    raise ValueError(f"days_of_week is All, Weekdays or day names separated by commas ({', '.join(DAYS)})")


class _Schedule(NoParams):
    days_of_week: str = Field(
        max_length=80, description='Days it runs: "All", "Weekdays" or names such as "Monday,Thursday"'
    )
    enabled: bool
    lat: float = Field(ge=-90, le=90, description="Latitude of the place it applies at")
    lon: float = Field(ge=-180, le=180, description="Longitude of the place it applies at")
    id: int | None = Field(default=None, ge=1, description="The schedule to change; a new one when left out")
    name: str | None = Field(default=None, max_length=60)
    one_time: bool | None = Field(default=None, description="Runs once, then disables itself")

    @field_validator("days_of_week")
    @classmethod
    def _known_days(cls, value: str) -> str:
        return _days(value)


class ChargeSchedule(_Schedule):
    start_enabled: bool = Field(description="Start charging at start_time")
    end_enabled: bool = Field(description="Stop charging at end_time")
    start_time: int | None = Field(default=None, ge=0, le=LAST_MINUTE, description="Minutes after local midnight")
    end_time: int | None = Field(default=None, ge=0, le=LAST_MINUTE, description="Minutes after local midnight")

    @model_validator(mode="after")
    def _times_when_enabled(self) -> ChargeSchedule:
        if self.start_enabled and self.start_time is None:
            raise ValueError("start_time is required when start_enabled is true")
        if self.end_enabled and self.end_time is None:
            raise ValueError("end_time is required when end_enabled is true")
        return self


class PreconditionSchedule(_Schedule):
    precondition_time: int = Field(ge=0, le=LAST_MINUTE, description="Cabin ready at, in minutes after local midnight")


class ScheduleId(NoParams):
    id: int = Field(ge=1, description="The schedule's id, as vehicle_data's schedule lists show it")
