"""What a command's end tells the rest of the gateway, in the transaction that ends it: a `command.*` event (and
through it the webhooks), and what the car said about the app's virtual key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.commands.status import TERMINAL
from fleetgate.commands.views import command_out
from fleetgate.devices.pairing import set_pairing
from fleetgate.events.service import record_event
from fleetgate.models import Command, Device
from fleetgate.state import AppState


async def report_pairing(session: AsyncSession, state: AppState, device: Device, paired: bool, now: datetime) -> None:
    """A signed command that went through proves the key is paired; a refusal for an unknown key, that it is not."""
    await set_pairing(session, state, device, paired, now)


async def report_settled(session: AsyncSession, command: Command) -> None:
    if command.status not in TERMINAL:
        return
    data = command_out(command).model_dump(mode="json")
    await record_event(session, workspace_id=command.workspace_id, type=f"command.{command.status}", data=data)
