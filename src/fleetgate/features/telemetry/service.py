"""Configuring what a car streams: the request checked against the catalogue and the one access decision, Tesla's
config built, signed with the app's key (Tesla.SS256, as Tesla's proxy signs it) and posted; then Tesla asked, now
and then, whether the car has it (`ask_tesla` and `apply_answer`, for the background pass in
`jobs.telemetry_checks`).

Everything a request can get wrong is refused before Tesla is asked (and bills the call): an unknown field (422),
then the device's access in the order every check follows (`access.capabilities`, the `telemetry` capability, and
`read_location` for location fields; a car whose software Tesla said is too old is `unsupported_firmware`, as
Tesla's own skip would answer), then fleetgate's own setup (the receiver's hostname and CA, the app's key).
Tesla's skips of the car come back as errors with their remedies (`errors.skipped_error`); nothing is stored then.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.config import Settings
from fleetgate.features.access.capabilities import (
    BY_DEVICE_TYPE,
    UNSUPPORTED_FIRMWARE,
    VEHICLE,
    VirtualKeyFacts,
    decide,
)
from fleetgate.features.connections.fleet import fleet_api
from fleetgate.features.connections.tesla_errors import upstream_errors
from fleetgate.features.devices.errors import require
from fleetgate.features.devices.service import connection_facts, connection_of, get_vehicle, virtual_key_facts
from fleetgate.features.telemetry.cost import Estimate, StreamedSetting, estimate
from fleetgate.features.telemetry.errors import (
    TelemetryNotConfigured,
    app_key_missing,
    firmware_refused,
    receiver_missing,
    skipped_error,
    unknown_fields,
)
from fleetgate.features.telemetry.fields import BY_NAME, CATALOGUE, LOCATION, StreamedField
from fleetgate.features.telemetry.schemas import TelemetryIn
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.release import release
from fleetgate.infra.errors import UpstreamFailure
from fleetgate.infra.models import Connection, Device, TelemetryConfig
from fleetgate.infra.models.telemetry_config import TelemetryStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.protocol.telemetry.jws import sign_fleet_message
from fleetgate.tesla.telemetry import TelemetryConfigured, TelemetryErrorItem

TELEMETRY = BY_DEVICE_TYPE[VEHICLE]["telemetry"]
READ_LOCATION = BY_DEVICE_TYPE[VEHICLE]["read_location"]
# A car stops using its config at `exp`: the background pass posts it again before then (`jobs.telemetry_renewals`).
CONFIG_LIFETIME = timedelta(days=180)
# `latest`: the car keeps what the receiver did not acknowledge and sends it again.
DELIVERY_POLICY = "latest"


@dataclass(frozen=True, slots=True)
class Receiver:
    """Where configs send cars: the receiver's public hostname and port, and the CA chain cars pin."""

    hostname: str
    port: int
    ca: str


async def receiver_of(settings: Settings) -> Receiver:
    path = settings.telemetry_ca_chain_path
    if not settings.telemetry_hostname or path is None:
        raise receiver_missing()
    try:
        ca = await asyncio.to_thread(path.read_text)
    except OSError:
        raise receiver_missing() from None
    return Receiver(settings.telemetry_hostname, settings.telemetry_public_port, ca)


def chosen_fields(body: TelemetryIn) -> dict[str, dict[str, Any]]:
    """Each field by fleetgate's name, with its interval and delta (the catalogue's when the request sets none)."""
    settings = body.settings()
    unknown = [name for name in settings if name not in BY_NAME]
    if unknown:
        raise unknown_fields(unknown, (field.name for field in CATALOGUE))
    chosen: dict[str, dict[str, Any]] = {}
    for name, setting in settings.items():
        delta = setting.minimum_delta if setting.minimum_delta is not None else BY_NAME[name].minimum_delta
        chosen[name] = {"interval_seconds": setting.interval_seconds or body.interval, "minimum_delta": delta}
    return chosen


def tesla_fields(chosen: dict[str, dict[str, Any]]) -> dict[str, StreamedSetting]:
    """By Tesla's field: names that share one (`charging_state`, `plugged_in`) are one field for the car, at the
    shortest interval and the smallest delta asked of them."""
    merged: dict[str, StreamedSetting] = {}
    for name, setting in chosen.items():
        field: StreamedField | None = BY_NAME.get(name)
        if field is None:
            continue  # a stored field the catalogue no longer has: not sent again
        interval, delta = setting["interval_seconds"], setting["minimum_delta"]
        known = merged.get(field.tesla_field)
        if known is not None:
            interval = min(interval, known.interval_seconds)
            deltas = [value for value in (delta, known.minimum_delta) if value is not None]
            delta = min(deltas) if deltas else None
        merged[field.tesla_field] = StreamedSetting(field.tesla_field, interval, delta, field.minimum_delta)
    return merged


def tesla_config(
    receiver: Receiver, fields: dict[str, StreamedSetting], alert_types: list[str], expires_at: datetime
) -> dict[str, Any]:
    streamed: dict[str, dict[str, Any]] = {}
    for name, setting in fields.items():
        streamed[name] = {"interval_seconds": setting.interval_seconds}
        if setting.minimum_delta is not None:
            streamed[name]["minimum_delta"] = setting.minimum_delta
    return {
        "hostname": receiver.hostname,
        # An integer: Tesla's cars silently ignore a port sent as a string.
        "port": receiver.port,
        "ca": receiver.ca,
        "fields": streamed,
        "alert_types": alert_types,
        "exp": int(expires_at.timestamp()),
        "delivery_policy": DELIVERY_POLICY,
    }


def estimate_of(row: TelemetryConfig) -> Estimate:
    return estimate(list(tesla_fields(row.fields).values()), row.freshness_seconds)


async def configure(
    session: AsyncSession, runtime: Runtime, workspace_id: str, device_id: str, body: TelemetryIn
) -> tuple[Device, TelemetryConfig]:
    device = await get_vehicle(session, workspace_id, device_id)
    connection = await connection_of(session, device)
    chosen = chosen_fields(body)
    facts, key = connection_facts(runtime, connection), virtual_key_facts(runtime, device)
    decision = decide(TELEMETRY, facts, device.status, key)
    if decision.reason == UNSUPPORTED_FIRMWARE:
        raise firmware_refused(key, device.id, decision.remedy)
    require(TELEMETRY, facts, device.status, device.id, "Streaming telemetry", key)
    location = sorted(name for name in chosen if BY_NAME[name].access == LOCATION)
    if location:
        require(READ_LOCATION, facts, device.status, device.id, f"Streaming {', '.join(location)}")
    existing = await session.get(TelemetryConfig, device.id)
    now = utcnow()
    posted = await post_config(session, runtime, device, connection, tesla_fields(chosen), list(body.alert_types))
    row = existing or TelemetryConfig(device_id=device.id, workspace_id=workspace_id, created_at=now)
    row.fields = chosen
    row.freshness_seconds = body.interval
    row.alert_types = list(body.alert_types)
    row.signals_per_day_budget = body.signals_per_day_budget
    mark_posted(row, posted, now)
    if existing is None:
        session.add(row)
    await session.flush()
    return device, row


@dataclass(frozen=True, slots=True)
class Posted:
    config: dict[str, Any]  # as signed, without the CA chain
    expires_at: datetime


async def post_config(
    session: AsyncSession,
    runtime: Runtime,
    device: Device,
    connection: Connection,
    fields: dict[str, StreamedSetting],
    alert_types: list[str],
) -> Posted:
    """Tesla's config built, signed and posted for the car; the session released first. Tesla's skip of the car
    raises its error (`errors.skipped_error`)."""
    receiver = await receiver_of(runtime.settings)
    if runtime.app_key is None:
        raise app_key_missing()
    expires_at = utcnow() + CONFIG_LIFETIME
    config = tesla_config(receiver, fields, alert_types, expires_at)
    token = sign_fleet_message(runtime.app_key, config)
    await release(session)
    async with upstream_errors(runtime, session, connection), fleet_api(runtime, session, connection, [device]) as api:
        answer = await api.configure_telemetry([device.external_id], token)
    _raise_if_skipped(answer, device, virtual_key_facts(runtime, device))
    # Stored without the CA chain: it is the receiver's, the same for every car, and long.
    return Posted({name: value for name, value in config.items() if name != "ca"}, expires_at)


def mark_posted(row: TelemetryConfig, posted: Posted, now: datetime) -> None:
    row.status = TelemetryStatus.PENDING
    row.config = posted.config
    row.expires_at = posted.expires_at
    row.error = None
    row.synced_at = None
    row.paused_until = None
    row.checked_at = now
    row.updated_at = now


def _raise_if_skipped(answer: TelemetryConfigured, device: Device, key: VirtualKeyFacts) -> None:
    for reason, vins in answer["skipped_vehicles"].items():
        if device.external_id in vins:
            raise skipped_error(reason, device.id, key)
    if answer["updated_vehicles"] == 0:
        raise UpstreamFailure("Tesla configured no vehicle, and named no reason.", tesla_answer=dict(answer))


async def repost(session: AsyncSession, runtime: Runtime, device: Device, row: TelemetryConfig, now: datetime) -> bool:
    """The row's config signed and posted again (a new `exp`), `pending`; False when the row changed while Tesla
    answered. Tesla's skip of the car raises its error."""
    connection = await connection_of(session, device)
    seen = row.updated_at
    posted = await post_config(session, runtime, device, connection, tesla_fields(row.fields), list(row.alert_types))
    fresh = await session.get(TelemetryConfig, device.id, populate_existing=True)
    if fresh is None or fresh.updated_at != seen:
        return False
    mark_posted(fresh, posted, now)
    return True


async def configured(session: AsyncSession, workspace_id: str, device_id: str) -> tuple[Device, TelemetryConfig]:
    device = await get_vehicle(session, workspace_id, device_id)
    row = await session.get(TelemetryConfig, device.id)
    if row is None:
        raise TelemetryNotConfigured(
            f"Device {device_id} has no telemetry config.",
            remedy={"action": "configure", "method": "PUT", "url": f"/v1/devices/{device_id}/telemetry"},
        )
    return device, row


async def remove(session: AsyncSession, runtime: Runtime, workspace_id: str, device_id: str) -> None:
    device, row = await configured(session, workspace_id, device_id)
    connection = await connection_of(session, device)
    await release(session)
    async with upstream_errors(runtime, session, connection), fleet_api(runtime, session, connection, [device]) as api:
        # 0 when the car no longer held it: removed here all the same.
        await api.delete_telemetry_config(device.external_id)
    await session.delete(row)
    await session.flush()


@dataclass(frozen=True, slots=True)
class TeslaView:
    """What Tesla said of a car's config when asked: whether it has it, and its errors since it was posted."""

    present: bool
    synced: bool
    errors: list[TelemetryErrorItem]


def config_error(view: TeslaView, posted_at: datetime) -> dict[str, Any] | None:
    """Tesla's newest error about the car's config since it was posted, as `TelemetryConfig.error` keeps it (Tesla's
    list also holds the errors of configs posted before)."""
    newest: dict[str, Any] | None = None
    for item in view.errors:
        at = _moment(item["created_at"])
        if at is None or at < posted_at or (newest is not None and at <= newest["at_moment"]):
            continue
        newest = {
            "name": item["error_name"] or "error",
            "message": item["error"],
            "at_moment": at,
        }
    if newest is None:
        return None
    at = newest.pop("at_moment")
    return {**newest, "at": at.isoformat()}


def _moment(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


async def ask_tesla(runtime: Runtime, session: AsyncSession, device: Device) -> TeslaView:
    """The car's config and errors, the session released first (no connection held while Tesla answers)."""
    connection = await connection_of(session, device)
    await release(session)
    async with fleet_api(runtime, session, connection, [device]) as api:
        answer = await api.telemetry_config(device.external_id)
        errors = await api.telemetry_errors(device.external_id)
    return TeslaView(present=answer["config"] is not None, synced=answer["synced"], errors=errors)


def posted_at(row: TelemetryConfig) -> datetime:
    return row.expires_at - CONFIG_LIFETIME


def apply_answer(row: TelemetryConfig, view: TeslaView, now: datetime) -> TelemetryStatus | None:
    """Tesla's answer written on the row; the new status when it changed. An error since the config was posted
    fails it; a config gone at Tesla was removed (Tesla tells no one); one the car took is synced."""
    error = config_error(view, posted_at(row))
    status = TelemetryStatus(row.status)
    if error is not None:
        status = TelemetryStatus.FAILED
    elif not view.present:
        status = TelemetryStatus.REMOVED
    elif view.synced:
        status = TelemetryStatus.SYNCED
    row.checked_at = now
    if status == row.status:
        return None
    row.status = status
    row.error = error
    if status == TelemetryStatus.SYNCED:
        row.synced_at = now
    row.updated_at = now
    return status
