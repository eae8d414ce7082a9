"""What a command's end tells the rest of the gateway: the device's virtual-key status, and events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.commands.status import TERMINAL
from fleetgate.models import Command, Device


async def report_pairing(session: AsyncSession, device: Device, paired: bool, now: datetime) -> None:
    """A signed command that went through proves the key is paired; a refusal for an unknown key, that it is not."""
    device.virtual_key_paired = paired
    device.virtual_key_checked_at = now


async def report_settled(session: AsyncSession, command: Command) -> None:
    if command.status not in TERMINAL:
        return
