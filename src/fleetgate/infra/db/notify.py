"""PostgreSQL's NOTIFY, sent from inside a transaction: the server delivers it when that transaction commits, and
never if it rolls back, so a listener that hears it finds the rows. On SQLite (one process) there is no one to tell."""

from __future__ import annotations

from sqlalchemy import text

from fleetgate.infra.db.writes import Writes

# Commands were queued: executors in other processes look for work now rather than at their next poll.
COMMANDS_CHANNEL = "fleetgate_commands"
_NOTIFY = text("SELECT pg_notify(:channel, '')")


async def notify_on_commit(writes: Writes, channel: str) -> None:
    if writes.dialect_name == "postgresql":
        await writes.execute(_NOTIFY, {"channel": channel})
