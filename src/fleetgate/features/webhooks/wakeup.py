"""Waking this process's dispatcher as soon as a transaction that queued deliveries commits.

The dispatcher's `asyncio.Event` rides in the sessions' `info` (put there by `attach`, for the sessionmakers of the
process that runs a dispatcher); `after_commit` sets it. A rollback sets nothing: the deliveries are gone with it.
Other processes' deliveries are found by the dispatcher's poll.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

WAKEUP = "fleetgate.webhook_wakeup"
QUEUED = "fleetgate.webhook_queued"
LISTENING = "fleetgate.webhook_listening"


def attach(sessionmaker: async_sessionmaker[AsyncSession], wakeup: asyncio.Event) -> None:
    info = dict(sessionmaker.kw.get("info") or {})
    info[WAKEUP] = wakeup
    sessionmaker.configure(info=info)


def wake_after_commit(session: AsyncSession) -> None:
    info = session.info
    if WAKEUP not in info:
        return
    info[QUEUED] = True
    if info.get(LISTENING):
        return
    info[LISTENING] = True
    sync_session = session.sync_session
    event.listen(sync_session, "after_commit", _after_commit)
    event.listen(sync_session, "after_rollback", _after_rollback)


def _after_commit(session: Session) -> None:
    # The greenlet that runs the commit runs on the event loop's thread: setting the event from here is safe.
    if session.info.pop(QUEUED, False):
        wakeup: asyncio.Event = session.info[WAKEUP]
        wakeup.set()


def _after_rollback(session: Session) -> None:
    session.info.pop(QUEUED, None)
