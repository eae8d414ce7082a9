"""Pages of rows for the console's tables (the API's cursor pagination), and the names shown beside ids."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.console.errors import ConsolePageError
from fleetgate.infra.models import Customer, Device
from fleetgate.infra.pagination import InvalidCursor, PageParams, decode_cursor

PAGE_SIZE = 50


def page_params(cursor: str | None, limit: int = PAGE_SIZE) -> PageParams:
    """The API's pagination (newest first), with a damaged page link answered as a console page."""
    if not cursor:
        return PageParams(limit=limit, after=None)
    try:
        after, order = decode_cursor(cursor)
    except InvalidCursor as exc:
        raise ConsolePageError(400, "This page link is not valid", "Go back to the first page of the list.") from exc
    return PageParams(limit=limit, after=after, order=order)


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
