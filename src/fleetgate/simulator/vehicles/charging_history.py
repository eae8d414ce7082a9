"""A simulated car's charging sessions, kept as its physics run, and shown as `GET /dx/charging/history` shows them.

A session opens when the car starts charging (a command, a scheduled start, the control API) and closes when it
stops for any reason: a stop command, the limit reached, the cable pulled. `Vehicle.advance` calls `observe` with the
time at which the car's charging state is current (where it resumes, and after each step it runs), so a session's
start and end fall on the moment the physics changed the state, however seldom the car is looked at.

Tesla's history has no charger type or energy field of its own: the energy is the usage of the session's `CHARGING`
fee (kWh), which is where clients read it. A Supercharger session (DC, over `DC_POWER_KW`) is priced at
`SUPERCHARGER_PRICE_PER_KWH`; charging at home costs nothing at Tesla, so its fee is 0.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from fleetgate.simulator.vehicles.vehicle import Vehicle

ChargerType = Literal["ac", "dc"]
DC_POWER_KW = 50.0
SUPERCHARGER_PRICE_PER_KWH = 0.45
CURRENCY = "USD"
COUNTRY_BY_REGION = {"na": "US", "eu": "DE", "cn": "CN"}


@dataclass(slots=True)
class ChargingSession:
    """One charge, from the moment the car began taking energy to the moment it stopped; times are epoch seconds."""

    session_id: int
    vin: str
    start: float
    start_level: float
    charger_type: ChargerType
    latitude: float
    longitude: float
    end: float | None = None
    end_level: float | None = None
    energy_kwh: float = 0.0
    # When the cable came out after the session (Tesla's `unlatchDateTime`), if it has.
    unlatched: float | None = None

    @property
    def location_name(self) -> str:
        return "Supercharger" if self.charger_type == "dc" else "Home"

    @property
    def price_per_kwh(self) -> float:
        return SUPERCHARGER_PRICE_PER_KWH if self.charger_type == "dc" else 0.0


@dataclass(slots=True)
class ChargingLog:
    sessions: list[ChargingSession] = field(default_factory=list)
    current: ChargingSession | None = None
    # The car's `charge_energy_added` when the current session opened: the session's energy is what it added since.
    energy_at_start: float = 0.0

    def observe(self, vehicle: Vehicle, at: float) -> None:
        """Opens or closes a session if the car's charging changed since it was last observed."""
        charging = vehicle.charging_state == "Charging"
        if charging and self.current is None:
            power = vehicle.charger_power_kw()
            self.current = ChargingSession(
                session_id=_session_id(vehicle.vin, len(self.sessions)),
                vin=vehicle.vin,
                start=at,
                start_level=vehicle.battery_level,
                charger_type="dc" if power >= DC_POWER_KW else "ac",
                latitude=vehicle.latitude,
                longitude=vehicle.longitude,
            )
            self.energy_at_start = vehicle.charge_energy_added
        elif not charging and self.current is not None:
            session = self.current
            added = vehicle.charge_energy_added
            # A new plug-in resets the car's counter: then all it shows was added after the reset.
            session.energy_kwh = added - self.energy_at_start if added >= self.energy_at_start else added
            session.end, session.end_level = at, vehicle.battery_level
            self.sessions.append(session)
            self.current = None
        if not vehicle.plugged_in and self.sessions and self.sessions[-1].unlatched is None:
            self.sessions[-1].unlatched = at


def _session_id(vin: str, number: int) -> int:
    # Stable across runs and distinct between cars, as Tesla's numeric ids are.
    return int(hashlib.sha256(f"{vin}:{number}".encode()).hexdigest()[:10], 16)


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds")


def history_item(session: ChargingSession, region: str) -> dict[str, Any]:
    """A closed session as an entry of Tesla's charging history."""
    assert session.end is not None
    energy = round(session.energy_kwh, 3)
    price = session.price_per_kwh
    total = round(energy * price, 2)
    fee = {
        "sessionFeeId": session.session_id,
        "feeType": "CHARGING",
        "currencyCode": CURRENCY,
        "pricingType": "PAYMENT",
        "rateBase": price,
        "rateTier1": 0,
        "rateTier2": 0,
        "rateTier3": None,
        "rateTier4": None,
        "usageBase": energy,
        "usageTier1": 0,
        "usageTier2": 0,
        "usageTier3": None,
        "usageTier4": None,
        "totalBase": total,
        "totalTier1": 0,
        "totalTier2": 0,
        "totalTier3": 0,
        "totalTier4": 0,
        "totalDue": total,
        "netDue": total,
        "uom": "kwh",
        "isPaid": True,
        "status": "PAID",
    }
    return {
        "sessionId": session.session_id,
        "vin": session.vin,
        "siteLocationName": session.location_name,
        "chargeStartDateTime": _iso(session.start),
        "chargeStopDateTime": _iso(session.end),
        "unlatchDateTime": _iso(session.unlatched) if session.unlatched is not None else None,
        "countryCode": COUNTRY_BY_REGION.get(region, "US"),
        "fees": [fee],
        "billingType": "IMMEDIATE",
        "invoices": [],
        "vehicleMakeType": "TSLA",
    }
