"""A vehicle's Fleet Telemetry in the console: its config as `GET /v1/devices/{id}/telemetry` shows it, and forms that
set or remove it through the API's own service functions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.console.api_errors import error_text
from fleetgate.features.console.auth import FormUserDep
from fleetgate.features.console.device_actions import device_page
from fleetgate.features.console.device_views import LABELS
from fleetgate.features.console.errors import workspace_vehicle
from fleetgate.features.console.flash import Flash
from fleetgate.features.console.render import done
from fleetgate.features.telemetry.budgets import usage_of
from fleetgate.features.telemetry.fields import CATALOGUE, LOCATION
from fleetgate.features.telemetry.schemas import DEFAULT_INTERVAL_SECONDS, TelemetryIn, TelemetryOut
from fleetgate.features.telemetry.service import configure, remove
from fleetgate.features.telemetry.views import telemetry_out
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.errors import APIError
from fleetgate.infra.models import Device, TelemetryConfig

router = APIRouter()
ANCHOR = "#telemetry"
# What the form offers before anything is set: the fields of the README's first example.
FIRST_CHOICE = frozenset({"battery_level_pct", "charging_state", "location"})
# Fields a car streams that the state shows inside another (`location`'s heading).
STREAM_ONLY_LABELS = {"location.heading_deg": "Heading (°)"}


@dataclass(frozen=True, slots=True)
class FieldChoice:
    name: str
    label: str
    tesla_field: str
    needs_location: bool
    chosen: bool


@dataclass(frozen=True, slots=True)
class TelemetryPanel:
    config: TelemetryOut | None
    choices: list[FieldChoice]
    interval_seconds: int
    budget: int | None


def field_choices(chosen: Iterable[str]) -> list[FieldChoice]:
    picked = set(chosen)
    return [
        FieldChoice(
            field.name,
            LABELS.get(field.name) or STREAM_ONLY_LABELS.get(field.name) or field.name,
            field.tesla_field,
            field.access == LOCATION,
            field.name in picked,
        )
        for field in CATALOGUE
    ]


async def telemetry_panel(session: AsyncSession, device: Device) -> TelemetryPanel:
    row = await session.get(TelemetryConfig, device.id)
    if row is None:
        return TelemetryPanel(None, field_choices(FIRST_CHOICE), DEFAULT_INTERVAL_SECONDS, None)
    config = telemetry_out(device, row, await usage_of(session, row, utcnow()))
    return TelemetryPanel(config, field_choices(config.fields), row.freshness_seconds, row.signals_per_day_budget)


def _number(text: object) -> int | None:
    return int(text) if isinstance(text, str) and text.strip().isdigit() else None


@router.post("/console/devices/{device_id}/telemetry")
async def set_telemetry(
    device_id: str, request: Request, user: FormUserDep, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """What `PUT /v1/devices/{id}/telemetry` does: the config checked, signed, posted to Tesla and stored."""
    row = await workspace_vehicle(session, user.workspace_id, device_id)
    back = device_page(row.id, ANCHOR)
    form = await request.form()
    try:
        body = TelemetryIn(
            fields=[name for name in form.getlist("field") if isinstance(name, str)],
            interval_seconds=_number(form.get("interval_seconds")),
            signals_per_day_budget=_number(form.get("signals_per_day_budget")),
        )
    except ValidationError:
        return done(
            request, back, Flash("bad", "Telemetry was not set: choose at least one field, and whole numbers only.")
        )
    try:
        _, config = await configure(session, runtime, user.workspace_id, row.id, body)
    except APIError as exc:
        await session.rollback()
        return done(request, back, Flash("bad", f"Telemetry was not set: {error_text(exc)}"))
    return done(
        request,
        back,
        Flash("ok", f"Telemetry config sent to Tesla ({len(config.fields)} fields): pending until the car takes it."),
    )


@router.post("/console/devices/{device_id}/telemetry/delete")
async def delete_telemetry(
    device_id: str, request: Request, user: FormUserDep, session: SessionDep, runtime: RuntimeDep
) -> Response:
    """What `DELETE /v1/devices/{id}/telemetry` does: the config removed at Tesla, then here."""
    row = await workspace_vehicle(session, user.workspace_id, device_id)
    back = device_page(row.id, ANCHOR)
    try:
        await remove(session, runtime, user.workspace_id, row.id)
    except APIError as exc:
        await session.rollback()
        return done(request, back, Flash("bad", f"Telemetry was not removed: {error_text(exc)}"))
    return done(request, back, Flash("ok", "Telemetry config removed at Tesla and here: the car stops streaming."))
