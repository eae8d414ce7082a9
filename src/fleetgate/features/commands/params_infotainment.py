"""Parameters of the media, navigation, naming and software update commands."""

from __future__ import annotations

from pydantic import Field, field_validator

from fleetgate.features.commands.params import NoParams

SHARE_TEXT_KEY = "android.intent.extra.TEXT"


class Volume(NoParams):
    volume: float = Field(ge=0, le=11, description="Absolute volume, 0 to 11 (a driver must be in the car)")


class NavigationRequest(NoParams):
    type: str = Field(default="share_ext_content_raw", max_length=60, description="What is shared")
    value: dict[str, str] = Field(
        description=f'The destination, as the phone app shares it: {{"{SHARE_TEXT_KEY}": "an address or a place"}}'
    )
    locale: str | None = Field(default=None, max_length=20, description="Language of the text, such as en-US")
    timestamp_ms: int | None = Field(default=None, ge=0, description="When it was shared, epoch milliseconds")

    @field_validator("value")
    @classmethod
    def _has_text(cls, value: dict[str, str]) -> dict[str, str]:
        if not value.get(SHARE_TEXT_KEY, "").strip():
            raise ValueError(f"value needs a non-empty {SHARE_TEXT_KEY}")
        return value


class NavigationGps(NoParams):
    lat: float = Field(ge=-90, le=90, description="Destination latitude")
    lon: float = Field(ge=-180, le=180, description="Destination longitude")
    order: int | None = Field(
        default=None, ge=0, description="Place in the trip's stops (REST only; the signed message has no order)"
    )


class NavigationSupercharger(NoParams):
    id: int = Field(ge=0, description="The Supercharger's id, as nearby_charging_sites shows it")
    order: int | None = Field(default=None, ge=0, description="Place in the trip's stops")


class Waypoints(NoParams):
    waypoints: str = Field(
        min_length=1, max_length=2000, description='Stops, separated by commas, each "refId:<Google place id>"'
    )


class VehicleName(NoParams):
    vehicle_name: str = Field(min_length=1, max_length=40, description="The name the car and Tesla's app show")

    @field_validator("vehicle_name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("vehicle_name must not be blank")
        return value


class SoftwareUpdate(NoParams):
    offset_sec: int = Field(ge=0, le=86_400 * 7, description="Seconds from now until the update installs")
