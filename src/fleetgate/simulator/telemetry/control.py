"""The control API's telemetry part: see what each car holds, time its sync, and make Tesla's side misbehave."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from fleetgate.simulator.fleet.access import WorldDep
from fleetgate.simulator.telemetry import configs
from fleetgate.simulator.telemetry.views import control_view

router = APIRouter(prefix="/sim", tags=["simulator control"])


class TelemetrySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sync_delay_seconds: float = Field(ge=0, description="How long after a post a car, online, takes the config")


class TelemetryErrorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: str
    error: str = Field(min_length=1)
    error_name: str = configs.CONFIG_ERROR


@router.get("/telemetry/configs")
async def list_configs(world: WorldDep) -> dict[str, Any]:
    now = world.now()
    return {
        "data": [control_view(c, now) for vin in list(world.telemetry.by_car) for c in configs.configs_of(world, vin)]
    }


@router.get("/vehicles/{vin}/telemetry_configs")
async def vehicle_configs(vin: str, world: WorldDep) -> dict[str, Any]:
    if vin not in world.vehicles:
        raise HTTPException(404, f"no vehicle {vin}")
    now = world.now()
    active = {config.client_id for config in configs.active_configs(world, vin)}
    return {"data": [{**control_view(c, now), "active": c.client_id in active} for c in configs.configs_of(world, vin)]}


@router.delete("/vehicles/{vin}/telemetry_configs/{client_id}")
async def drop_config(vin: str, client_id: str, world: WorldDep) -> dict[str, bool]:
    """As when the owner revokes the app: the config goes, and Tesla tells nobody."""
    if not world.telemetry.remove(vin, client_id):
        raise HTTPException(404, f"no config of {client_id} on {vin}")
    return {"ok": True}


@router.post("/vehicles/{vin}/telemetry_errors", status_code=201)
async def add_error(vin: str, body: TelemetryErrorIn, world: WorldDep) -> dict[str, Any]:
    if vin not in world.vehicles:
        raise HTTPException(404, f"no vehicle {vin}")
    return configs.report_error(world, body.client_id, vin, body.error, body.error_name).view()


@router.put("/telemetry/settings")
async def settings(body: TelemetrySettings, world: WorldDep) -> dict[str, float]:
    world.telemetry.sync_delay_seconds = body.sync_delay_seconds
    return {"sync_delay_seconds": body.sync_delay_seconds}
