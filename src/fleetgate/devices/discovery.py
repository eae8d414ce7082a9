"""Device discovery: vehicles and energy sites from `products`, virtual-key pairing from `fleet_status`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.models import Connection, Device
from fleetgate.state import AppState


@dataclass
class SyncReport:
    discovered: list[Device] = field(default_factory=list)
    updated: list[Device] = field(default_factory=list)
    removed: list[Device] = field(default_factory=list)


async def sync_devices(session: AsyncSession, state: AppState, connection: Connection) -> SyncReport:
    """Brings the connection's devices in line with Tesla: new ones created, known ones updated (same id), vanished
    ones marked removed; vehicles' virtual-key status read with `fleet_status`."""
    raise NotImplementedError
