"""What a command's end tells the rest of the gateway, in the transaction that ends it: a `command.*` event, and
through it the webhooks."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.commands.status import TERMINAL
from fleetgate.features.commands.views import command_out
from fleetgate.features.events.service import record_event
from fleetgate.infra.models import Command


async def report_settled(session: AsyncSession, command: Command) -> None:
    if command.status not in TERMINAL:
        return
    data = command_out(command).model_dump(mode="json")
    await record_event(session, workspace_id=command.workspace_id, type=f"command.{command.status}", data=data)
