"""The whole simulated Tesla: developer apps, accounts, consents, tokens, vehicles, energy sites and meters.

One `World` lives in the app's state. It is plain data plus rules; nothing here knows about HTTP. Everything
random that shapes the world (ids, VINs, vehicle keys, epochs) comes from `rng`, seeded, so the same seed and the
same calls give the same world. Secrets handed to clients (tokens, codes) come from `secrets`.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fleetgate.simulator.auth.tokens import AccessTokenRecord, AuthCode, RefreshTokenRecord, TokenIssuer
from fleetgate.simulator.clock import SimClock
from fleetgate.simulator.faults import FaultInjector
from fleetgate.simulator.limits import RateLimiter
from fleetgate.simulator.telemetry.configs import TelemetryConfigs
from fleetgate.simulator.telemetry.streamer_identity import CarCertificates
from fleetgate.simulator.usage import UsageLedger

if TYPE_CHECKING:
    from fleetgate.simulator.energy.site import EnergySite
    from fleetgate.simulator.vehicles.vehicle import Vehicle

REGIONS = ("na", "eu", "cn")


@dataclass(slots=True)
class DeveloperApp:
    client_id: str
    client_secret: str
    name: str
    redirect_uris: list[str]
    allowed_origins: list[str]


@dataclass(slots=True)
class PartnerRegistration:
    client_id: str
    region: str
    domain: str
    public_key: bytes
    registered_at: float


@dataclass(slots=True)
class Account:
    id: str
    email: str
    region: str
    full_name: str
    created_at: float

    @property
    def ou_code(self) -> str:
        return self.region.upper()


@dataclass(slots=True)
class Consent:
    client_id: str
    account_id: str
    scopes: frozenset[str]
    granted_at: float


@dataclass
class World:
    seed: int = 0
    clock: SimClock = field(default_factory=SimClock)
    issuer: TokenIssuer = field(default_factory=TokenIssuer)
    rng: random.Random = field(init=False)
    apps: dict[str, DeveloperApp] = field(default_factory=dict)
    registrations: dict[tuple[str, str], PartnerRegistration] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    consents: dict[tuple[str, str], Consent] = field(default_factory=dict)
    auth_codes: dict[str, AuthCode] = field(default_factory=dict)
    # Authorization requests waiting on the consent page, by an opaque transaction id.
    auth_requests: dict[str, Any] = field(default_factory=dict)
    access_tokens: dict[str, AccessTokenRecord] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshTokenRecord] = field(default_factory=dict)
    vehicles: dict[str, Vehicle] = field(default_factory=dict)
    energy_sites: dict[int, EnergySite] = field(default_factory=dict)
    usage: UsageLedger = field(default_factory=UsageLedger)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    faults: FaultInjector = field(default_factory=FaultInjector)
    telemetry: TelemetryConfigs = field(default_factory=TelemetryConfigs)
    car_certificates: CarCertificates = field(default_factory=CarCertificates)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def reset(self) -> None:
        """Empties the world; the token signing key and the cars' CA stay, so JWKS caches in clients and the trust of
        telemetry receivers remain valid."""
        fresh = World(seed=self.seed, clock=SimClock(), issuer=self.issuer, car_certificates=self.car_certificates)
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(fresh, name))

    def now(self) -> float:
        return self.clock.now()

    # -- ids ------------------------------------------------------------------------------------------------

    def new_id(self) -> int:
        return self.rng.randrange(10**14, 10**15)

    def new_uuid(self) -> str:
        return "%08x-%04x-%04x-%04x-%012x" % (  # noqa: UP031 - fixed-width hex groups
            self.rng.getrandbits(32),
            self.rng.getrandbits(16),
            0x4000 | self.rng.getrandbits(12),
            0x8000 | self.rng.getrandbits(14),
            self.rng.getrandbits(48),
        )

    def new_secret(self, nbytes: int = 32) -> str:
        return secrets.token_urlsafe(nbytes)

    # -- lookups --------------------------------------------------------------------------------------------

    def account_by_email(self, email: str) -> Account | None:
        wanted = email.strip().lower()
        return next((a for a in self.accounts.values() if a.email.lower() == wanted), None)

    def vehicles_of(self, account_id: str) -> list[Vehicle]:
        return [v for v in self.vehicles.values() if v.account_id == account_id]

    def energy_sites_of(self, account_id: str) -> list[EnergySite]:
        return [s for s in self.energy_sites.values() if s.account_id == account_id]
