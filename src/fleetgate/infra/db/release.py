"""Giving the database back before waiting on Tesla.

A Tesla call may take seconds (a slow car, a wake, a token refresh). A request, job or worker that waits on one
while its transaction is open holds a pooled connection (and on SQLite, once it wrote, the database's write lock):
enough of them and every other request waits for the pool, even one that never calls Tesla. So the rule is: read
what the call needs, `release` the session, call Tesla, then write in a short transaction.

`release` commits what the transaction did so far — for the reads before a call, nothing — and gives its connection
back; the session begins a new transaction when next used, and the objects it loaded stay readable (the
sessionmakers do not expire them on commit). Callers make sure what precedes it may be committed on its own.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.infra.db.side_transactions import WRITTEN


async def release(session: AsyncSession) -> None:
    if session.in_transaction():
        await session.commit()
    # The rows it wrote are committed: their locks are no longer held (see `side_transactions.holds_lock`).
    session.info.pop(WRITTEN, None)
