"""Fleet Telemetry configurations held by the simulated cars: at most one per app and car, at most five apps a car.

A config posted through the Fleet API is stored at once, unsynced. The car takes it the first time it is seen
online at least `sync_delay_seconds` after the post (the car fetches its configuration when it is connected; a
sleeping or offline car does not), and checks it then: a CA it cannot parse becomes an error in the error
endpoints, as Tesla reports it, and the config is not streamed to. `active_configs` is what a car streams to now:
synced, accepted, not expired, and the app's key still on the car. A config goes, silently as at Tesla, when the
car's owner revokes the app or its `vehicle_device_data` scope (or the car changes hands).

Sync is observed lazily, like the rest of the car's life: whoever asks (the config endpoints, the streamer) brings
the car up to the simulated now first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from cryptography import x509

if TYPE_CHECKING:
    from fleetgate.simulator.vehicles.vehicle import Vehicle
    from fleetgate.simulator.world import World

MAX_APPS_PER_CAR = 5
CONFIG_ERROR = "config_manager_error"


@dataclass(frozen=True, slots=True)
class FieldConfig:
    interval_seconds: int
    minimum_delta: float | None = None
    resend_interval_seconds: int | None = None

    def view(self) -> dict[str, Any]:
        view: dict[str, Any] = {"interval_seconds": self.interval_seconds}
        if self.minimum_delta is not None:
            view["minimum_delta"] = self.minimum_delta
        if self.resend_interval_seconds is not None:
            view["resend_interval_seconds"] = self.resend_interval_seconds
        return view


@dataclass(slots=True)
class StoredConfig:
    """One app's configuration on one car; `fields` keys are names of Tesla's `Field` enum."""

    client_id: str
    vin: str
    hostname: str
    port: int
    ca: str
    fields: dict[str, FieldConfig]
    alert_types: list[str]
    exp: int
    delivery_policy: str | None
    # The signer's 65-byte public key: the car streams only while this key is on its whitelist.
    public_key: bytes
    # `iss` and `aud` of the JWS, which Tesla shows back inside the config.
    iss: str
    aud: str
    created_at: float
    synced: bool = False
    synced_at: float | None = None
    error: str | None = None

    def expired(self, now: float) -> bool:
        return self.exp <= now

    def view(self) -> dict[str, Any]:
        view: dict[str, Any] = {
            "hostname": self.hostname,
            "ca": self.ca,
            "port": self.port,
            "exp": self.exp,
            "fields": {name: spec.view() for name, spec in self.fields.items()},
            "alert_types": list(self.alert_types),
            "iss": self.iss,
            "aud": self.aud,
        }
        if self.delivery_policy is not None:
            view["delivery_policy"] = self.delivery_policy
        return view


@dataclass(frozen=True, slots=True)
class TelemetryError:
    created_at: float
    client_id: str
    vin: str
    error: str
    txid: str
    error_name: str = CONFIG_ERROR

    def view(self) -> dict[str, Any]:
        stamp = datetime.fromtimestamp(self.created_at, UTC).isoformat(timespec="microseconds")
        return {
            "created_at": stamp.replace("+00:00", "Z"),
            "error": self.error,
            "error_name": self.error_name,
            "name": self.client_id,
            "txID": self.txid,
            "vin": self.vin,
        }


@dataclass
class TelemetryConfigs:
    by_car: dict[str, dict[str, StoredConfig]] = field(default_factory=dict)  # vin -> client_id -> config
    errors: list[TelemetryError] = field(default_factory=list)
    sync_delay_seconds: float = 0.0

    def of_car(self, vin: str) -> dict[str, StoredConfig]:
        return self.by_car.get(vin, {})

    def put(self, config: StoredConfig) -> None:
        self.by_car.setdefault(config.vin, {})[config.client_id] = config

    def remove(self, vin: str, client_id: str) -> bool:
        return self.by_car.get(vin, {}).pop(client_id, None) is not None

    def others_on_car(self, vin: str, client_id: str) -> int:
        return sum(1 for other in self.of_car(vin) if other != client_id)


_FIRMWARE = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?")


def firmware_at_least(firmware: str, minimum: tuple[int, ...]) -> bool:
    """Tesla's versions (`2024.44.32.1`) compared by their numbers; an unreadable version is too old."""
    match = _FIRMWARE.match(firmware.strip())
    if match is None:
        return False
    version = tuple(int(part) for part in match.groups() if part is not None)
    return version >= minimum


def car_rejection(ca: str) -> str | None:
    """What the car says when it loads a config whose CA it cannot use."""
    try:
        certificates = x509.load_pem_x509_certificates(ca.encode())
    except ValueError:
        return "error loading config file: x509: failed to parse CA certificate"
    if not certificates:
        return "error loading config file: x509: no CA certificate"
    return None


def sync(world: World, vehicle: Vehicle) -> None:
    """Drops the configs of apps the owner no longer allows, then lets the car take those waiting, if it is online."""
    store = world.telemetry
    for client_id in [c for c in store.of_car(vehicle.vin) if not _allowed(world, c, vehicle)]:
        store.remove(vehicle.vin, client_id)
    now = world.now()
    if not vehicle.is_online(now):
        return
    for config in store.of_car(vehicle.vin).values():
        if config.synced or now < config.created_at + store.sync_delay_seconds:
            continue
        config.synced = True
        config.synced_at = now
        config.error = car_rejection(config.ca)
        if config.error is not None:
            report_error(world, config.client_id, vehicle.vin, config.error)


def _allowed(world: World, client_id: str, vehicle: Vehicle) -> bool:
    consent = world.consents.get((client_id, vehicle.account_id))
    return consent is not None and "vehicle_device_data" in consent.scopes


def report_error(world: World, client_id: str, vin: str, error: str, error_name: str = CONFIG_ERROR) -> TelemetryError:
    """What the car tells Tesla went wrong with an app's config or stream; the error endpoints list it."""
    reported = TelemetryError(world.now(), client_id, vin, error, world.new_uuid(), error_name)
    world.telemetry.errors.append(reported)
    return reported


def configs_of(world: World, vin: str) -> list[StoredConfig]:
    """Every app's config on the car, synced or not, after the car has taken what it can."""
    vehicle = world.vehicles.get(vin)
    if vehicle is None:
        return []
    sync(world, vehicle)
    return list(world.telemetry.of_car(vin).values())


def config_of(world: World, vin: str, client_id: str) -> StoredConfig | None:
    return next((config for config in configs_of(world, vin) if config.client_id == client_id), None)


def active_configs(world: World, vin: str) -> list[StoredConfig]:
    """The configs the car streams to at the simulated now."""
    vehicle = world.vehicles.get(vin)
    if vehicle is None:
        return []
    now = world.now()
    return [
        config
        for config in configs_of(world, vin)
        if config.synced and config.error is None and not config.expired(now) and _key_on_car(vehicle, config)
    ]


def _key_on_car(vehicle: Vehicle, config: StoredConfig) -> bool:
    entry = vehicle.key_entry(config.public_key)
    return entry is not None and entry.active


def errors_of(world: World, client_id: str, vin: str | None = None) -> list[TelemetryError]:
    """The app's errors on one car, or on every car (the partner endpoints)."""
    vins = [vin] if vin is not None else [v for v, configs in world.telemetry.by_car.items() if client_id in configs]
    for each in vins:
        vehicle = world.vehicles.get(each)
        if vehicle is not None:
            sync(world, vehicle)
    return [e for e in world.telemetry.errors if e.client_id == client_id and (vin is None or e.vin == vin)]
