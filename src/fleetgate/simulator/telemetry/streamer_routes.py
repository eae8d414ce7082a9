"""The control API's view of the streaming cars: the CA a receiver trusts for them."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from fleetgate.simulator.fleet.access import WorldDep

router = APIRouter(prefix="/sim", tags=["simulator control"])


@router.get("/telemetry/ca", response_class=Response)
async def cars_certificate_authority(world: WorldDep) -> Response:
    """The PEM of the CA that signs every simulated car's client certificate."""
    return Response(world.car_certificates.authority.cert_pem, media_type="application/x-pem-file")
