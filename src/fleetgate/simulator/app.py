"""The simulator's ASGI app: one server plays every Tesla host (auth, three Fleet API regions, pairing links)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from fleetgate.simulator.auth.routes import router as auth_router
from fleetgate.simulator.control.routes import router as control_router
from fleetgate.simulator.energy.routes import router as energy_router
from fleetgate.simulator.envelope import TeslaHTTPError
from fleetgate.simulator.fleet.metering import FleetMiddleware, quiet_lost_answers
from fleetgate.simulator.pairing.routes import router as pairing_router
from fleetgate.simulator.partners.routes import router as partners_router
from fleetgate.simulator.telemetry.control import router as telemetry_control_router
from fleetgate.simulator.telemetry.routes import router as telemetry_router
from fleetgate.simulator.telemetry.streamer import streaming
from fleetgate.simulator.telemetry.streamer_routes import router as streaming_control_router
from fleetgate.simulator.users.routes import router as users_router
from fleetgate.simulator.vehicle_side.routes import router as vehicle_side_router
from fleetgate.simulator.vehicles.charging_history_routes import router as charging_history_router
from fleetgate.simulator.vehicles.routes import router as vehicles_router
from fleetgate.simulator.world import World

STATIC_DIR = Path(__file__).with_name("static")
FLEET_PREFIX = "/{region}/api/1"


def create_simulator_app(
    world: World | None = None,
    *,
    seed: int = 0,
    outbound_transport: httpx.AsyncBaseTransport | None = None,
    stream_telemetry: bool = False,
) -> FastAPI:
    """`outbound_transport` carries the simulator's own calls out (fetching an app's public key on register);
    with `stream_telemetry` the cars holding a telemetry config stream to its receiver while the app runs."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            app.state.outbound = await stack.enter_async_context(
                httpx.AsyncClient(transport=outbound_transport, timeout=10.0)
            )
            if stream_telemetry:
                app.state.streamers = await stack.enter_async_context(streaming(app.state.world))
            with quiet_lost_answers():
                yield

    app = FastAPIOffline(
        title="fleetgate Tesla simulator",
        lifespan=lifespan,
        docs_url="/sim/docs",
        redoc_url=None,
        openapi_url="/sim/openapi.json",
        static_url="/sim/docs/assets",
    )
    app.state.world = world or World(seed=seed)
    app.add_middleware(FleetMiddleware)

    @app.exception_handler(TeslaHTTPError)
    async def render_tesla_error(request: Request, exc: TeslaHTTPError) -> Response:
        return exc.render()

    @app.get("/status", response_class=PlainTextResponse, include_in_schema=False)
    async def status() -> str:
        return "ok"

    app.include_router(control_router)
    app.include_router(telemetry_control_router)
    app.include_router(streaming_control_router)
    app.include_router(auth_router)
    app.include_router(pairing_router)
    for router in (
        users_router,
        vehicles_router,
        charging_history_router,
        vehicle_side_router,
        energy_router,
        partners_router,
        telemetry_router,
    ):
        app.include_router(router, prefix=FLEET_PREFIX)
    app.mount("/static", StaticFiles(directory=STATIC_DIR, check_dir=False), name="static")
    return app
