"""Cursor pagination for list endpoints: `?limit=&cursor=&order=` in, `{"data": [...], "next_cursor": ...}` out.

Rows come newest first, as a list is usually read (the latest commands, the latest events); `order=oldest_first`
reads forwards, as a consumer catching up on events does. Rows are ordered by (created_at, id); the cursor is the
last row's pair and the order it was read in, opaque to clients, so that the cursor alone goes on the same way.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel
from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from fleetgate.infra.errors import APIError

T = TypeVar("T")
Row = TypeVar("Row")
MAX_LIMIT = 100
MAX_CURSOR_LENGTH = 500


class InvalidCursor(APIError):
    status = 400
    code = "invalid_cursor"

    def __init__(self) -> None:
        super().__init__(
            "The cursor is not one this API gave out.",
            remedy={"action": "fix_request", "note": "Pass a page's `next_cursor` as it was answered, or no cursor."},
            field="cursor",
        )


Order = Literal["newest_first", "oldest_first"]
NEWEST_FIRST: Order = "newest_first"
OLDEST_FIRST: Order = "oldest_first"


class CursorOrderConflict(APIError):
    status = 400
    code = "invalid_cursor"

    def __init__(self, cursor_order: Order) -> None:
        super().__init__(
            f"The cursor continues a list read {cursor_order.replace('_', ' ')}; it cannot go on in the other order.",
            remedy={"action": "fix_request", "note": "Leave `order` out when passing a cursor, or start again."},
            field="order",
        )


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    # The last row of the previous page: this page starts past it, in `order`.
    after: tuple[datetime, str] | None
    order: Order = NEWEST_FIRST


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page, newest first (see `order`)")] = 50,
    cursor: Annotated[
        str | None,
        Query(description="`next_cursor` of the previous page: the rows past it, in that page's order (newest first)"),
    ] = None,
    order: Annotated[
        Order | None,
        Query(description="`newest_first` (the default) or `oldest_first`, to read forwards, e.g. to catch up"),
    ] = None,
) -> PageParams:
    if cursor is None:
        return PageParams(limit=limit, after=None, order=order or NEWEST_FIRST)
    after, cursor_order = decode_cursor(cursor)
    if order is not None and order != cursor_order:
        raise CursorOrderConflict(cursor_order)
    return PageParams(limit=limit, after=after, order=cursor_order)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    data: list[T]
    next_cursor: str | None


def encode_cursor(created_at: datetime, row_id: str, order: Order = NEWEST_FIRST) -> str:
    packed = json.dumps([created_at.isoformat(), row_id, order])
    return base64.urlsafe_b64encode(packed.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[tuple[datetime, str], Order]:
    """Raises `InvalidCursor` for anything `encode_cursor` could not have written. A cursor of two parts was given
    out when lists came oldest first, and goes on that way."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor()
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise InvalidCursor() from exc
    if not (isinstance(decoded, list) and len(decoded) in (2, 3) and all(isinstance(part, str) for part in decoded)):
        raise InvalidCursor()
    created, row_id, *rest = decoded
    order = rest[0] if rest else OLDEST_FIRST
    if order not in (NEWEST_FIRST, OLDEST_FIRST):
        raise InvalidCursor()
    try:
        created_at = datetime.fromisoformat(created)
    except ValueError as exc:
        raise InvalidCursor() from exc
    # A naive time cannot be compared with the stored ones (always UTC).
    if created_at.tzinfo is None or created_at.utcoffset() is None:
        raise InvalidCursor()
    return (created_at, row_id), NEWEST_FIRST if order == NEWEST_FIRST else OLDEST_FIRST


async def paginate(
    session: AsyncSession,
    query: Select[Any],
    model: type[Row],
    params: PageParams,
) -> tuple[list[Row], str | None]:
    """`model` must have `created_at` and `id` columns; `query` selects it."""
    created_at: InstrumentedAttribute[datetime] = getattr(model, "created_at")  # noqa: B009
    row_id: InstrumentedAttribute[str] = getattr(model, "id")  # noqa: B009
    newest_first = params.order == NEWEST_FIRST
    if params.after is not None:
        after_time, after_id = params.after
        if newest_first:
            query = query.where(or_(created_at < after_time, and_(created_at == after_time, row_id < after_id)))
        else:
            query = query.where(or_(created_at > after_time, and_(created_at == after_time, row_id > after_id)))
    ordering = (created_at.desc(), row_id.desc()) if newest_first else (created_at, row_id)
    rows: list[Row] = list((await session.scalars(query.order_by(*ordering).limit(params.limit + 1))).all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last: Any = rows[-1]
    return rows, encode_cursor(last.created_at, last.id, params.order)
