"""Parameters of the commands on the car's body and security: closures, windows, sounds, valet mode, speed limit,
PIN to drive and guest mode. PINs are four digits, sent as a string."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from fleetgate.features.commands.params import NoParams

PIN = r"^\d{4}$"
# Valet mode and PIN to drive take an empty password when the car is to ask for none.
OPTIONAL_PIN = r"^(\d{4})?$"


class SentryMode(NoParams):
    on: bool = Field(description="true on, false off")


class Trunk(NoParams):
    which_trunk: Literal["front", "rear"] = Field(description="front opens the frunk; rear opens or closes the trunk")


class WindowControl(NoParams):
    command: Literal["vent", "close"] = Field(description="vent opens every window a little; close shuts them")
    lat: float | None = Field(
        default=None, ge=-90, le=90, description="The caller's latitude, which older cars check before closing"
    )
    lon: float | None = Field(default=None, ge=-180, le=180, description="The caller's longitude, as lat")


class SunRoof(NoParams):
    state: Literal["vent", "close", "stop"] = Field(description="stop halts a moving sunroof where it is")


class Homelink(NoParams):
    lat: float = Field(ge=-90, le=90, description="The car's latitude (it must be near the garage), to 5 decimals")
    lon: float = Field(ge=-180, le=180, description="The car's longitude, to 5 decimals")
    token: str = Field(default="", max_length=200, description="HomeLink token from vehicle_data, if any")

    @field_validator("lat", "lon")
    @classmethod
    def _to_a_metre(cls, value: float) -> float:
        # The signed message carries float32 coordinates: a metre is what reaches the car either way.
        return round(value, 5)


class Boombox(NoParams):
    sound: Literal[0, 2000] = Field(description="0 a fart, 2000 the locate ping")


class ValetMode(NoParams):
    on: bool = Field(description="true on, false off (off takes no PIN)")
    password: str = Field(default="", pattern=OPTIONAL_PIN, description="Four-digit valet PIN; empty for none")


class SpeedLimitPin(NoParams):
    pin: str = Field(pattern=PIN, description="The four-digit speed limit PIN")


class SpeedLimit(NoParams):
    limit_mph: float = Field(ge=50, le=120, description="Top speed, in miles per hour")


class PinToDrive(NoParams):
    on: bool = Field(description="true on, false off")
    password: str = Field(default="", pattern=OPTIONAL_PIN, description="Four-digit PIN to drive; empty for none")


class GuestMode(NoParams):
    enable: bool = Field(description="true on, false off")
