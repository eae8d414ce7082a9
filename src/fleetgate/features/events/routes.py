from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from fleetgate.features.events.schemas import EventOut, EventPage
from fleetgate.features.events.service import get_event, list_query
from fleetgate.features.events.types import is_pattern
from fleetgate.features.events.views import event_out
from fleetgate.infra.dependencies import SessionDep, WorkspaceDep
from fleetgate.infra.errors import ValidationFailed
from fleetgate.infra.models import Event
from fleetgate.infra.pagination import PageDep, paginate

router = APIRouter(tags=["events"])

TypeFilter = Annotated[
    str | None,
    Query(alias="type", max_length=60, description="An event type, `<category>.*` (e.g. `device.*`) or `*`"),
]


@router.get("/v1/events", name="list_events", summary="List events")
async def list_events(
    workspace: WorkspaceDep, session: SessionDep, page: PageDep, event_type: TypeFilter = None
) -> EventPage:
    """The workspace's events, newest first; `order=oldest_first` reads forwards, to catch up from where the last
    page ended."""
    if event_type is not None and not is_pattern(event_type):
        raise ValidationFailed(f"{event_type!r} is not an event type, a `<category>.*` or `*`.", field="type")
    rows, cursor = await paginate(session, list_query(workspace.id, event_type), Event, page)
    return EventPage(data=[event_out(row) for row in rows], next_cursor=cursor)


@router.get("/v1/events/{event_id}", name="get_event", summary="Read an event")
async def get(event_id: str, workspace: WorkspaceDep, session: SessionDep) -> EventOut:
    return event_out(await get_event(session, workspace.id, event_id))
