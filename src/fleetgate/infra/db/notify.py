"""PostgreSQL's NOTIFY, sent from inside a transaction: the server delivers it when that transaction commits, and
never if it rolls back, so a listener that hears it finds the rows. On SQLite (one process) there is no one to tell."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Commands were queued: executors in other processes look for work now rather than at their next poll.
COMMANDS_CHANNEL = "fleetgate_commands"
_NOTIFY = text("SELECT pg_notify(:channel, '')")


async def notify_on_commit(session: AsyncSession, channel: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(_NOTIFY, {"channel": channel})
