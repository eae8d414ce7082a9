"""The console's first page: the workspace at a glance, and what needs the developer's attention."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import STAY_CONNECTED
from fleetgate.features.console.auth import ConsoleUserDep
from fleetgate.features.console.render import render
from fleetgate.features.usage.service import usage_report
from fleetgate.infra.dependencies import SessionDep
from fleetgate.infra.models import Command, Connection, Device, WebhookDelivery, WebhookEndpoint
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.models.device import DeviceStatus

router = APIRouter()
# The console's first page, by its route name (what `fleetgate dev`'s banner links to).
CONSOLE_HOME = "console_home"
ATTENTION_LIMIT = 5


async def counts(session: AsyncSession, column: Any, *where: Any) -> Counter[str]:
    rows = await session.execute(select(column, func.count()).where(*where).group_by(column))
    return Counter({str(name): count for name, count in rows})


@router.get("/console", name=CONSOLE_HOME)
async def overview(request: Request, user: ConsoleUserDep, session: SessionDep) -> Response:
    workspace_id = user.workspace_id
    reconnect = await session.scalars(
        select(Connection)
        .where(Connection.workspace_id == workspace_id, Connection.status == ConnectionStatus.NEEDS_RECONNECT)
        .order_by(Connection.updated_at.desc())
        .limit(ATTENTION_LIMIT)
    )
    # The scopes are a JSON list: matched as its text, the same on both databases.
    without_refresh = await session.scalars(
        select(Connection)
        .where(
            Connection.workspace_id == workspace_id,
            Connection.status == ConnectionStatus.ACTIVE,
            cast(Connection.granted_scopes, String).not_like(f'%"{STAY_CONNECTED.scope}"%'),
        )
        .order_by(Connection.created_at.desc())
        .limit(ATTENTION_LIMIT)
    )
    unpaired = await session.scalars(
        select(Device)
        .where(
            Device.workspace_id == workspace_id,
            Device.type == "vehicle",
            Device.status == DeviceStatus.ACTIVE,
            Device.command_signing == "required",
            Device.virtual_key_paired.is_(False),
        )
        .order_by(Device.created_at)
        .limit(ATTENTION_LIMIT)
    )
    disabled = await session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.workspace_id == workspace_id, WebhookEndpoint.enabled.is_(False))
        .order_by(WebhookEndpoint.created_at)
        .limit(ATTENTION_LIMIT)
    )
    context = {
        "title": "Overview",
        "section": "overview",
        "connections": await counts(session, Connection.status, Connection.workspace_id == workspace_id),
        "devices": await counts(
            session, Device.type, Device.workspace_id == workspace_id, Device.status == DeviceStatus.ACTIVE
        ),
        "commands": await counts(session, Command.status, Command.workspace_id == workspace_id),
        "deliveries": await counts(session, WebhookDelivery.status, WebhookDelivery.workspace_id == workspace_id),
        "usage": await usage_report(session, workspace_id, start=None, end=None),
        "needs_reconnect": list(reconnect.all()),
        "without_refresh": list(without_refresh.all()),
        "stay_connected": STAY_CONNECTED,
        "unpaired": list(unpaired.all()),
        "disabled_endpoints": list(disabled.all()),
    }
    return render(request, "overview.html", context)
