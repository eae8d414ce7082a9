"""The auth host (auth.tesla.com and the fleet-auth token host): one router, mounted at the root."""

from __future__ import annotations

from fastapi import APIRouter

from fleetgate.simulator.auth import authorize_routes, manage_routes, token_routes

router = APIRouter()
router.include_router(authorize_routes.router)
router.include_router(token_routes.router)
router.include_router(manage_routes.router)
