"""The control API's view of the streaming cars: the CA a receiver trusts for them, and each car's streams."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fleetgate.simulator.fleet.access import WorldDep

router = APIRouter(prefix="/sim", tags=["simulator control"])


@router.get("/telemetry/ca", response_class=Response)
async def cars_certificate_authority(world: WorldDep) -> Response:
    """The PEM of the CA that signs every simulated car's client certificate."""
    return Response(world.car_certificates.authority.cert_pem, media_type="application/x-pem-file")


@router.get("/telemetry/streams")
async def streams(request: Request) -> dict[str, Any]:
    """Each car's stream to each app's receiver; empty unless the app was made with `stream_telemetry`."""
    streamers = getattr(request.app.state, "streamers", None)
    if streamers is None:
        return {"data": []}
    return {"data": [stream.view() for stream in streamers.streams.values()]}
