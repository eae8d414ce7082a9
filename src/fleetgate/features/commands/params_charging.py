"""Parameters of the charging commands and the charge and departure schedules. Times of day are minutes after
the car's local midnight."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from fleetgate.features.commands.params import NoParams
from fleetgate.tesla.signing import schedule_days

LAST_MINUTE = 1439
PLACE_DECIMALS = 5


class ChargeLimit(NoParams):
    percent: int = Field(ge=50, le=100, description="Charge limit, in percent of the battery")


class ChargingAmps(NoParams):
    charging_amps: int = Field(ge=1, le=80, description="AC charging current, in amperes (the car caps it)")


class ScheduledCharging(NoParams):
    enable: bool = Field(description="true to start at `time`, false to charge as soon as plugged in")
    time: int | None = Field(
        default=None, ge=0, le=LAST_MINUTE, description="Start, in minutes after local midnight; required with enable"
    )

    @model_validator(mode="after")
    def _time_when_enabled(self) -> ScheduledCharging:
        if self.enable and self.time is None:
            raise ValueError("time is required when enable is true")
        return self


class ScheduledDeparture(NoParams):
    """Every setting of the planner is sent, as the car takes them (a setting left out is off)."""

    enable: bool = Field(description="true to plan for `departure_time`, false to turn the planner off")
    departure_time: int | None = Field(
        default=None,
        ge=0,
        le=LAST_MINUTE,
        description="Departure, in minutes after local midnight; required with enable",
    )
    preconditioning_enabled: bool = Field(default=False, description="Warm or cool the cabin for departure")
    preconditioning_weekdays_only: bool = Field(default=False, description="Precondition on weekdays only (implies on)")
    off_peak_charging_enabled: bool = Field(default=False, description="Charge in off-peak hours only")
    off_peak_charging_weekdays_only: bool = Field(default=False, description="Off-peak charging on weekdays only")
    end_off_peak_time: int = Field(
        default=0, ge=0, le=LAST_MINUTE, description="End of the off-peak hours, in minutes after local midnight"
    )

    @model_validator(mode="after")
    def _consistent(self) -> ScheduledDeparture:
        if self.enable and self.departure_time is None:
            raise ValueError("departure_time is required when enable is true")
        # "Weekdays only" is a policy of its own: the car turns the setting on with it.
        self.preconditioning_enabled = self.preconditioning_enabled or self.preconditioning_weekdays_only
        self.off_peak_charging_enabled = self.off_peak_charging_enabled or self.off_peak_charging_weekdays_only
        return self


def _days(value: str) -> str:
    try:
        days = schedule_days.mask(value)
    except schedule_days.UnknownDay as exc:
        raise ValueError(
            f"unknown day {str(exc)!r}: give All, Weekdays or day names separated by commas (Monday or Mon, "
            "Tuesday or Tues, Thursday or Thurs...)"
        ) from None
    if days == 0:
        raise ValueError("days_of_week names no day")
    return schedule_days.canonical(days)


class _Schedule(NoParams):
    days_of_week: str = Field(
        max_length=80,
        description='Days it runs: "All", "Weekdays" or names such as "Monday,Thursday" (stored as the car reads '
        "them back: full names from Sunday, or All or Weekdays)",
    )
    enabled: bool = Field(description="false keeps the schedule without it acting")
    lat: float = Field(ge=-90, le=90, description="Latitude of the place it applies at (to 5 decimals, a metre)")
    lon: float = Field(ge=-180, le=180, description="Longitude of the place it applies at (to 5 decimals)")
    id: int | None = Field(default=None, ge=1, description="The schedule to change; a new one when left out")
    name: str | None = Field(default=None, max_length=60, description="A label the car shows")
    one_time: bool | None = Field(default=None, description="Runs once, then disables itself")

    @field_validator("days_of_week")
    @classmethod
    def _known_days(cls, value: str) -> str:
        return _days(value)

    @field_validator("lat", "lon")
    @classmethod
    def _to_a_metre(cls, value: float) -> float:
        # The signed message carries float32 coordinates: a metre is what reaches the car either way.
        return round(value, PLACE_DECIMALS)


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
