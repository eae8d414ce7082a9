"""Which of the posted cars take an app's config, and why the others are skipped, in Tesla's words.

Per car, in order: the app's virtual key must be on it (`missing_key`); its firmware must be recent enough
(`unsupported_firmware`: 2024.26, or 2024.44.32 when a field asks for `minimum_delta` or resends); it may hold
configs of at most five apps, this app's own replaced (`max_configs`). `unsupported_hardware` stays empty: every
simulated car can stream. VINs not on the caller's account are neither updated nor listed, as `fleet_status`
does not confirm that others' cars exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fleetgate.simulator.telemetry.configs import MAX_APPS_PER_CAR, StoredConfig, firmware_at_least
from fleetgate.simulator.telemetry.validation import DELTA_FIRMWARE, MIN_FIRMWARE, ConfigRequest
from fleetgate.simulator.vehicle_side.fleet_status import is_paired
from fleetgate.simulator.world import Account, World

SKIP_REASONS = ("missing_key", "unsupported_hardware", "unsupported_firmware", "max_configs")


@dataclass(slots=True)
class Enrollment:
    updated: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=lambda: {reason: [] for reason in SKIP_REASONS})

    def view(self) -> dict[str, Any]:
        return {"updated_vehicles": len(self.updated), "skipped_vehicles": self.skipped}


def enroll(
    world: World,
    account: Account,
    client_id: str,
    public_key: bytes,
    config: ConfigRequest,
    claims: dict[str, Any],
    vins: list[str],
) -> Enrollment:
    outcome = Enrollment()
    now = world.now()
    minimum = DELTA_FIRMWARE if config.needs_delta_firmware else MIN_FIRMWARE
    for vin in dict.fromkeys(vin.upper() for vin in vins):
        vehicle = world.vehicles.get(vin)
        if vehicle is None or vehicle.account_id != account.id:
            continue
        if not is_paired(vehicle, public_key):
            outcome.skipped["missing_key"].append(vin)
        elif not firmware_at_least(vehicle.firmware, minimum):
            outcome.skipped["unsupported_firmware"].append(vin)
        elif world.telemetry.others_on_car(vin, client_id) >= MAX_APPS_PER_CAR:
            outcome.skipped["max_configs"].append(vin)
        else:
            world.telemetry.put(
                StoredConfig(
                    client_id=client_id,
                    vin=vin,
                    hostname=config.hostname,
                    port=config.port,
                    ca=config.ca,
                    fields=dict(config.fields),
                    alert_types=list(config.alert_types),
                    exp=config.exp,
                    delivery_policy=config.delivery_policy,
                    public_key=public_key,
                    iss=str(claims["iss"]),
                    aud=str(claims["aud"]),
                    created_at=now,
                )
            )
            outcome.updated.append(vin)
    return outcome
