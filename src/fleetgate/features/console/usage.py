"""Upstream usage and its estimated cost: the numbers of `GET /v1/usage`, from the same report."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fleetgate.features.console.auth import ConsoleUserDep
from fleetgate.features.console.errors import page_not_found
from fleetgate.features.console.listing import customer_references, device_names
from fleetgate.features.console.render import render
from fleetgate.features.usage.service import usage_report
from fleetgate.infra.dependencies import SessionDep
from fleetgate.infra.errors import NotFound

router = APIRouter()


@router.get("/console/usage")
async def usage(request: Request, user: ConsoleUserDep, session: SessionDep, connection_id: str = "") -> Response:
    try:
        report = await usage_report(
            session, user.workspace_id, start=None, end=None, connection_id=connection_id or None
        )
    except NotFound:
        raise page_not_found("connection") from None
    devices = (device.device_id for connection in report.by_connection for device in connection.devices)
    context = {
        "title": "Usage",
        "section": "usage",
        "report": report,
        "connection_id": connection_id,
        "customers": await customer_references(
            session, user.workspace_id, (connection.customer_id for connection in report.by_connection)
        ),
        "device_names": await device_names(session, user.workspace_id, devices),
        "categories": (("data", "Data"), ("commands", "Commands"), ("wakes", "Wakes")),
    }
    return render(request, "usage.html", context)
