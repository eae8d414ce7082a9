"""A device's history as the API shows it: units in the field names (Wh, seconds), every moment ISO 8601 with the
offset of the device's time zone, whose IANA name is given too; null for what Tesla did not say."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fleetgate.features.history.periods import Kind, Period

WH = "Wh"


class HistoryRange(BaseModel):
    start: str = Field(description="Where the range begins, ISO 8601 with the zone's offset (inclusive)")
    end: str = Field(description="Where it ends, ISO 8601 with the zone's offset (exclusive)")


class EnergyFlows(BaseModel):
    solar_wh: int | None = Field(description="Solar generation")
    home_wh: int | None = Field(description="Home use, from every source")
    battery_charge_wh: int | None = Field(description="Energy into the battery (from solar and the grid)")
    battery_discharge_wh: int | None = Field(description="Energy out of the battery (to the home and the grid)")
    grid_import_wh: int | None = Field(description="Energy taken from the grid")
    grid_export_wh: int | None = Field(description="Energy sent to the grid (from solar and the battery)")
    solar_to_home_wh: int | None
    solar_to_battery_wh: int | None
    solar_to_grid_wh: int | None
    battery_to_home_wh: int | None
    battery_to_grid_wh: int | None
    grid_to_home_wh: int | None
    grid_to_battery_wh: int | None


class EnergyInterval(EnergyFlows):
    start: str = Field(description="ISO 8601 with the zone's offset; a day's interval is cut to the range")
    end: str = Field(description="ISO 8601 with the zone's offset (exclusive)")


class EnergyHistory(BaseModel):
    intervals: list[EnergyInterval] = Field(description="One a day (one a month for `period=year`), oldest first")
    totals: EnergyFlows = Field(description="The intervals added up")


class BackupEvent(BaseModel):
    start: str = Field(description="When the grid went down, ISO 8601 with the zone's offset")
    end: str | None = Field(description="When it came back (so far, for an outage still going on)")
    duration_s: int | None = Field(description="How long the site ran on its own, seconds")


class BackupTotals(BaseModel):
    events: int
    duration_s: int = Field(description="Time off the grid in all, seconds")


class BackupHistory(BaseModel):
    events: list[BackupEvent] = Field(description="Outages that overlap the range, whole, oldest first")
    totals: BackupTotals


class Cost(BaseModel):
    amount: float = Field(description="What Tesla billed for the session, in `currency`")
    currency: str = Field(description="ISO 4217 code")


class ChargingSession(BaseModel):
    session_id: str | None = Field(description="Tesla's id of the session")
    start: str = Field(description="When charging began, ISO 8601 with the zone's offset")
    end: str | None = Field(description="When it stopped")
    duration_s: int | None = Field(description="From start to end, seconds")
    energy_added_wh: int | None = Field(description="Energy the car took, Wh")
    location_name: str | None = Field(description="Where, as Tesla names the site (a Supercharger's name, Home)")
    country_code: str | None = Field(description="ISO 3166 country code of the site")
    cost: Cost | None = Field(description="What it cost, when Tesla billed it in one currency")
    unplugged_at: str | None = Field(description="When the cable came out, if it has")


class ChargingTotals(BaseModel):
    sessions: int
    energy_added_wh: int | None


class ChargingHistory(BaseModel):
    sessions: list[ChargingSession] = Field(description="Sessions that began in the range and have ended, oldest first")
    totals: ChargingTotals


class HistoryOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "device_id": "dev_3f9c0b1e2d4a5b6c7d8e9f00",
                "type": "energy_site",
                "kind": "energy",
                "period": "day",
                "range": {"start": "2026-12-05T00:00:00-08:00", "end": "2026-12-06T00:00:00-08:00"},
                "time_zone": "America/Los_Angeles",
                "source": "cache",
                "fetched_at": "2026-12-06T09:12:03.412Z",
                "closed": True,
                "energy": {
                    "intervals": [
                        {
                            "start": "2026-12-05T00:00:00-08:00",
                            "end": "2026-12-06T00:00:00-08:00",
                            "solar_wh": 53412,
                            "home_wh": 28810,
                            "battery_charge_wh": 9120,
                            "battery_discharge_wh": 8344,
                            "grid_import_wh": 6120,
                            "grid_export_wh": 29410,
                            "solar_to_home_wh": 14950,
                            "solar_to_battery_wh": 9052,
                            "solar_to_grid_wh": 29410,
                            "battery_to_home_wh": 8344,
                            "battery_to_grid_wh": 0,
                            "grid_to_home_wh": 5516,
                            "grid_to_battery_wh": 68,
                        }
                    ],
                    "totals": {
                        "solar_wh": 53412,
                        "home_wh": 28810,
                        "battery_charge_wh": 9120,
                        "battery_discharge_wh": 8344,
                        "grid_import_wh": 6120,
                        "grid_export_wh": 29410,
                        "solar_to_home_wh": 14950,
                        "solar_to_battery_wh": 9052,
                        "solar_to_grid_wh": 29410,
                        "battery_to_home_wh": 8344,
                        "battery_to_grid_wh": 0,
                        "grid_to_home_wh": 5516,
                        "grid_to_battery_wh": 68,
                    },
                },
                "backup": None,
                "charging": None,
            }
        }
    )

    device_id: str
    type: Literal["vehicle", "energy_site"]
    kind: Kind
    period: Period
    range: HistoryRange
    time_zone: str = Field(
        description="IANA time zone the range and intervals are cut in: `time_zone` if asked, else the site's "
        "(UTC for a car)"
    )
    source: Literal["cache", "live"] = Field(description="`cache`: the stored read; `live`: read from Tesla now")
    fetched_at: str = Field(description="When the data was read from Tesla, ISO 8601 UTC")
    closed: bool = Field(description="Whether the range can no longer change (then it is read from Tesla only once)")
    energy: EnergyHistory | None = Field(description="For `kind=energy`, else null")
    backup: BackupHistory | None = Field(description="For `kind=backup`, else null")
    charging: ChargingHistory | None = Field(description="For `kind=charging`, else null")
