"""Health, metrics, and the app's public key where Tesla and the Tesla app fetch it."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from fleetgate.features.system.queue_depths import read_queue_depths
from fleetgate.infra.dependencies import RuntimeDep, SessionDep
from fleetgate.infra.errors import NotFound
from fleetgate.infra.openapi import ERROR_REF
from fleetgate.protocol.keys import public_key_pem
from fleetgate.tesla.keys import PUBLIC_KEY_PATH

router = APIRouter(tags=["system"])


@router.get("/healthz", name="check_health", summary="Check that the gateway and its database answer")
async def healthz(session: SessionDep) -> dict[str, str]:
    await session.execute(text("SELECT 1"))
    return {"status": "ok"}


class PemResponse(Response):
    media_type = "application/x-pem-file"


EXAMPLE_PEM = """-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEB8u9zq3DaHH39cO56iR46sZqYhKu
cFrYVmE+BnIILXz721bD3u/F+CmmeFV3o43NNbGGgOs7BOlkI8+Uj2hpig==
-----END PUBLIC KEY-----
"""


@router.get(
    PUBLIC_KEY_PATH,
    name="get_public_key",
    summary="Read the app's public key, as Tesla fetches it",
    response_class=PemResponse,
    responses={
        200: {
            "description": "The P-256 public key, PEM-encoded",
            "content": {PemResponse.media_type: {"schema": {"type": "string"}, "example": EXAMPLE_PEM}},
        },
        # By hand: FastAPI would file an error model under the route's own media type.
        404: {
            "description": "`not_found`: no command key is configured",
            "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
        },
    },
)
async def public_key(runtime: RuntimeDep) -> PemResponse:
    if runtime.app_key is None:
        raise NotFound("No command key is configured (FLEETGATE_PRIVATE_KEY_PATH or FLEETGATE_PRIVATE_KEY_PEM).")
    return PemResponse(public_key_pem(runtime.app_key))


@router.get("/metrics", name="get_metrics", summary="Read the Prometheus metrics", response_class=PlainTextResponse)
async def metrics(runtime: RuntimeDep, session: SessionDep) -> Response:
    """Prometheus's text format. Unauthenticated, like `/healthz`: expose it only where your scraper reaches it."""
    await read_queue_depths(session, runtime.metrics)
    return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)
