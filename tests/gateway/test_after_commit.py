"""After-commit announcements (`infra.db.after_commit`): what a transaction announces reaches the process's listener
once it commits, each distinct item once, and never when it rolls back; a savepoint's release is not the commit."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fleetgate.features.workspaces.service import create_workspace
from fleetgate.infra.db.after_commit import Topic, announce, listening
from fleetgate.infra.db.engine import create_engine, create_sessionmaker
from fleetgate.infra.models import Workspace

CREATED: Topic[str] = Topic("workspace created")
OTHER: Topic[str] = Topic("something else")


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()


async def created(session: AsyncSession, name: str) -> str:
    workspace = await create_workspace(session, name)
    announce(session, CREATED, workspace.id)
    return workspace.id


async def stored(sessions: async_sessionmaker[AsyncSession], workspace_id: str) -> bool:
    async with sessions() as session:
        return await session.scalar(select(Workspace.id).where(Workspace.id == workspace_id)) is not None


async def test_reach_the_listener_once_the_transaction_commits(sessions: async_sessionmaker[AsyncSession]) -> None:
    heard: list[str] = []
    with listening([sessions], CREATED, heard.append):
        async with sessions() as session:
            first = await created(session, "first")
            second = await created(session, "second")
            announce(session, CREATED, first)
            assert heard == []
            await session.commit()
            assert heard == [first, second]
            # The session's next transaction starts with nothing announced.
            async with session.begin():
                third = await created(session, "third")
        assert heard == [first, second, third]
    assert await stored(sessions, third)


async def test_a_rollback_drops_what_was_announced(sessions: async_sessionmaker[AsyncSession]) -> None:
    heard: list[str] = []
    with listening([sessions], CREATED, heard.append):
        async with sessions() as session:
            dropped = await created(session, "dropped")
            await session.rollback()
            await session.commit()
    assert heard == []
    assert not await stored(sessions, dropped)


async def test_a_savepoints_release_is_not_the_commit(sessions: async_sessionmaker[AsyncSession]) -> None:
    heard: list[str] = []
    with listening([sessions], CREATED, heard.append):
        async with sessions() as session:
            async with session.begin_nested():
                await created(session, "inner")
            assert heard == []
            await session.rollback()
            assert heard == []

            async with session.begin_nested():
                kept = await created(session, "kept")
            await session.commit()
    assert heard == [kept]


async def test_only_topics_with_a_listener_and_only_while_it_listens(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    heard: list[str] = []
    with listening([sessions], CREATED, heard.append):
        async with sessions() as session, session.begin():
            announce(session, OTHER, "nobody listens")
    async with sessions() as session, session.begin():
        await created(session, "after the block")
    assert heard == []


async def test_a_failing_listener_is_logged_and_the_commit_stands(
    sessions: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture
) -> None:
    def broken(_: str) -> None:
        raise RuntimeError("the listener broke")

    with listening([sessions], CREATED, broken):
        async with sessions() as session, session.begin():
            workspace_id = await created(session, "kept anyway")
    assert await stored(sessions, workspace_id)
    assert [record.getMessage() for record in caplog.records if record.levelno == logging.ERROR] == [
        "after a commit: the listener of 'workspace created' failed"
    ]
