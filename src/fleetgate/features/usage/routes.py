from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from fleetgate.features.usage.schemas import UsageOut
from fleetgate.features.usage.service import usage_report
from fleetgate.infra.dependencies import SessionDep, WorkspaceDep
from fleetgate.infra.errors import NotFound
from fleetgate.infra.openapi import documented_errors

router = APIRouter(tags=["usage"])


def as_utc(moment: datetime | None) -> datetime | None:
    """Times without an offset are UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@router.get(
    "/v1/usage",
    name="get_usage",
    summary="Read Fleet API usage and its cost",
    responses=documented_errors(NotFound, s404="no such customer or device in this workspace"),
)
async def usage(
    workspace: WorkspaceDep,
    session: SessionDep,
    start: Annotated[
        datetime | None,
        Query(alias="from", description="Included; default: 00:00 UTC on the 1st of the month `to` ends"),
    ] = None,
    end: Annotated[datetime | None, Query(alias="to", description="Excluded; default: now")] = None,
    connection_id: str | None = None,
) -> UsageOut:
    """Calls to Tesla's Fleet API made for this workspace, by Tesla's billing category (data, commands, wakes),
    with their estimated cost at Tesla's prices, per connection and device. Tesla's $10 monthly credit is not
    subtracted."""
    return await usage_report(session, workspace.id, start=as_utc(start), end=as_utc(end), connection_id=connection_id)
