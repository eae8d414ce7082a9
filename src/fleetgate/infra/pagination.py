"""Cursor pagination for list endpoints: `?limit=&cursor=` in, `{"data": [...], "next_cursor": ...}` out.

Rows are ordered by (created_at, id); the cursor is the last row's pair, opaque to clients.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

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


@dataclass(frozen=True, slots=True)
class PageParams:
    limit: int
    after: tuple[datetime, str] | None


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")] = 50,
    cursor: Annotated[str | None, Query(description="`next_cursor` of the previous page")] = None,
) -> PageParams:
    return PageParams(limit=limit, after=decode_cursor(cursor) if cursor else None)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[T]):
    data: list[T]
    next_cursor: str | None


def encode_cursor(created_at: datetime, row_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([created_at.isoformat(), row_id]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """Raises `InvalidCursor` for anything `encode_cursor` could not have written."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursor()
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise InvalidCursor() from exc
    if not (isinstance(decoded, list) and len(decoded) == 2 and all(isinstance(part, str) for part in decoded)):
        raise InvalidCursor()
    created, row_id = decoded
    try:
        created_at = datetime.fromisoformat(created)
    except ValueError as exc:
        raise InvalidCursor() from exc
    # A naive time cannot be compared with the stored ones (always UTC).
    if created_at.tzinfo is None or created_at.utcoffset() is None:
        raise InvalidCursor()
    return created_at, row_id


async def paginate(
    session: AsyncSession,
    query: Select[Any],
    model: type[Row],
    params: PageParams,
) -> tuple[list[Row], str | None]:
    """`model` must have `created_at` and `id` columns; `query` selects it."""
    created_at: InstrumentedAttribute[datetime] = getattr(model, "created_at")  # noqa: B009
    row_id: InstrumentedAttribute[str] = getattr(model, "id")  # noqa: B009
    if params.after is not None:
        after_time, after_id = params.after
        query = query.where(or_(created_at > after_time, and_(created_at == after_time, row_id > after_id)))
    rows: list[Row] = list((await session.scalars(query.order_by(created_at, row_id).limit(params.limit + 1))).all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last: Any = rows[-1]
    return rows, encode_cursor(last.created_at, last.id)
