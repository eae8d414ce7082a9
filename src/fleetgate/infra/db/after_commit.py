"""Work a transaction hands on once it commits, and only then: code running in the transaction calls
`announce(session, topic, item)`; right after the commit, the listener this process attached for `topic` gets the
item (each distinct item once). A rollback drops what the transaction announced.

Listeners ride in the sessionmakers' `info` (`listening`, when a process starts the work that listens, never at
import), so code that only holds a session can announce; a session with no listener for a topic announces nothing
(the process does not run that work; other processes find it by polling). Only the outermost transaction's commit
counts: a savepoint's release may still be rolled back with its transaction. A savepoint rolled back inside a
transaction that commits keeps what it announced; listeners take an announcement as a hint, never as a promise
that the row is there.

Transactions run outside any session (`db.writes`) announce the same way; their writer hands on what they announced
to the listeners of the sessionmaker it was given (`Announcements`).

Listeners run inside the commit, on the event loop's thread: they must not block, and start a task for anything
that awaits. A listener that fails is logged; the commit has happened and stands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger("fleetgate.db")
T = TypeVar("T", bound=Hashable)

LISTENERS = "fleetgate.after_commit.listeners"  # topic → listener, in a sessionmaker's info
ANNOUNCED = "fleetgate.after_commit.announced"  # topic → items, in a session's info, for its transaction
HOOKED = "fleetgate.after_commit.hooked"


@dataclass(frozen=True, slots=True)
class Topic(Generic[T]):
    name: str


def announce(session: AsyncSession, topic: Topic[T], item: T) -> None:
    info = session.info
    if topic not in info.get(LISTENERS, {}):
        return
    announced: dict[Topic[Any], dict[Any, None]] = info.setdefault(ANNOUNCED, {})
    announced.setdefault(topic, {})[item] = None
    if not info.get(HOOKED):
        info[HOOKED] = True
        event.listen(session.sync_session, "after_commit", _after_commit)
        event.listen(session.sync_session, "after_transaction_end", _after_transaction_end)


@contextmanager
def listening(
    sessionmakers: Iterable[async_sessionmaker[AsyncSession]], topic: Topic[T], listener: Callable[[T], None]
) -> Iterator[None]:
    """`listener` gets what transactions of these sessionmakers' sessions (those opened from now on) announce on
    `topic`, for the duration of the block."""
    attached = list(sessionmakers)
    for sessionmaker in attached:
        _set_listener(sessionmaker, topic, listener)
    try:
        yield
    finally:
        for sessionmaker in attached:
            _set_listener(sessionmaker, topic, None)


def _set_listener(
    sessionmaker: async_sessionmaker[AsyncSession], topic: Topic[Any], listener: Callable[[Any], None] | None
) -> None:
    # Copies, not changes in place: a session's info shares the sessionmaker's dicts.
    info = dict(sessionmaker.kw.get("info") or {})
    listeners = dict(info.get(LISTENERS) or {})
    if listener is None:
        listeners.pop(topic, None)
    else:
        listeners[topic] = listener
    info[LISTENERS] = listeners
    sessionmaker.configure(info=info)


class Announcements:
    """What one transaction outside any session announced, for the listeners `sessionmaker` has at its start."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._listeners: dict[Topic[Any], Callable[[Any], None]] = (sessionmaker.kw.get("info") or {}).get(
            LISTENERS, {}
        )
        self._announced: dict[Topic[Any], dict[Any, None]] = {}

    def announce(self, topic: Topic[T], item: T) -> None:
        if topic in self._listeners:
            self._announced.setdefault(topic, {})[item] = None

    def hand_on(self) -> None:
        """Once the transaction has committed."""
        _hand_on(self._announced, self._listeners)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    _hand_on(session.info.pop(ANNOUNCED, {}), session.info.get(LISTENERS, {}))


def _hand_on(announced: dict[Topic[Any], dict[Any, None]], listeners: dict[Topic[Any], Callable[[Any], None]]) -> None:
    for topic, items in announced.items():
        for item in items:
            try:
                listeners[topic](item)
            except Exception:
                log.exception("after a commit: the listener of %r failed", topic.name)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # After a commit (already handed on) or a rollback (dropped).
    if transaction.parent is None:
        session.info.pop(ANNOUNCED, None)
