"""Tenant isolation, in one rule: a workspace sees only its own rows, and another workspace's row answers exactly as a
row that does not exist (404), so that ids reveal nothing across workspaces."""

from __future__ import annotations

from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.infra.errors import NotFound

# Ids are short (`security.ids`); anything longer names no row, and is not worth a query.
MAX_ID_LENGTH = 64


class WorkspaceRow(Protocol):
    @property
    def workspace_id(self) -> str: ...


Row = TypeVar("Row", bound=WorkspaceRow)


async def find_in_workspace(session: AsyncSession, model: type[Row], workspace_id: str, row_id: str) -> Row | None:
    row = await session.get(model, row_id) if len(row_id) <= MAX_ID_LENGTH else None
    return row if row is not None and row.workspace_id == workspace_id else None


async def get_in_workspace(session: AsyncSession, model: type[Row], workspace_id: str, row_id: str, noun: str) -> Row:
    """The row, or 404 `not_found` ("No {noun} {id}.")."""
    row = await find_in_workspace(session, model, workspace_id, row_id)
    if row is None:
        raise NotFound(f"No {noun} {row_id}.")
    return row
