"""Pages of rows for the console's tables: the API's cursor pagination, and newest-first pages for logs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from fleetgate.features.console.errors import ConsolePageError
from fleetgate.infra.models import Customer, Device
from fleetgate.infra.pagination import InvalidCursor, PageParams, decode_cursor, encode_cursor

Row = TypeVar("Row")
PAGE_SIZE = 50


def cursor_of(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    try:
        return decode_cursor(cursor)
    except InvalidCursor as exc:
        raise ConsolePageError(400, "This page link is not valid", "Go back to the first page of the list.") from exc


def page_params(cursor: str | None, limit: int = PAGE_SIZE) -> PageParams:
    return PageParams(limit=limit, after=cursor_of(cursor))


async def newest_first(
    session: AsyncSession, query: Select[Any], model: type[Row], limit: int, cursor: str | None = None
) -> tuple[list[Row], str | None]:
    """Like `pagination.paginate`, newest first: what a log is read for. `model` has `created_at` and `id`."""
    created_at: InstrumentedAttribute[datetime] = getattr(model, "created_at")  # noqa: B009
    row_id: InstrumentedAttribute[str] = getattr(model, "id")  # noqa: B009
    before = cursor_of(cursor)
    if before is not None:
        query = query.where(or_(created_at < before[0], and_(created_at == before[0], row_id < before[1])))
    found = await session.scalars(query.order_by(created_at.desc(), row_id.desc()).limit(limit + 1))
    rows: list[Row] = list(found.all())
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last: Any = rows[-1]
    return rows, encode_cursor(last.created_at, last.id)


async def customer_references(session: AsyncSession, workspace_id: str, ids: Iterable[str]) -> dict[str, str]:
    """Customer id → the application's reference id, for the workspace's customers among `ids`."""
    wanted = set(ids)
    if not wanted:
        return {}
    query = select(Customer.id, Customer.reference_id).where(
        Customer.workspace_id == workspace_id, Customer.id.in_(wanted)
    )
    return {customer_id: reference for customer_id, reference in await session.execute(query)}


async def device_names(session: AsyncSession, workspace_id: str, ids: Iterable[str | None]) -> dict[str, str]:
    """Device id → its name (or VIN, or site id), for the workspace's devices among `ids`."""
    wanted = {device_id for device_id in ids if device_id}
    if not wanted:
        return {}
    query = select(Device.id, Device.display_name, Device.external_id).where(
        Device.workspace_id == workspace_id, Device.id.in_(wanted)
    )
    return {device_id: name or external for device_id, name, external in await session.execute(query)}
