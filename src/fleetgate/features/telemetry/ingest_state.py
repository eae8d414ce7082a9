"""The stored states of the devices a batch of records feeds: locked once (in the order of their ids, so that two
receivers' batches cannot deadlock), each device's records merged in the order the car made them
(`devices.state_merge`: the newer value wins, field by field), and the changed rows written back with one statement.
Core statements over the table, no ORM: a batch touches hundreds of rows."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.devices import normalize
from fleetgate.features.devices.state_merge import streamed_over_stored
from fleetgate.infra.models import DeviceState

STATES = cast(Table, DeviceState.__table__)
_COLUMNS = (
    STATES.c.device_id,
    STATES.c.data,
    STATES.c.field_times,
    STATES.c.polled_at,
    STATES.c.fetched_at,
    STATES.c.online_state,
    STATES.c.online_checked_at,
    STATES.c.has_location,
    STATES.c.streamed,
)
# The key is bound under another name: a bind named as a column is the value SET for it.
UPDATE_STATE = update(STATES).where(STATES.c.device_id == bindparam("key"))


@dataclass(slots=True)
class StreamedState:
    """A device's state row, held locked for the batch's transaction."""

    device_id: str
    data: dict[str, Any]
    field_times: dict[str, str] | None
    polled_at: datetime | None
    fetched_at: datetime
    online_state: str | None
    online_checked_at: datetime | None
    has_location: bool
    streamed: bool
    changed: bool = False

    def merge(self, values: dict[str, Any], made_at: datetime) -> dict[str, tuple[Any, Any]]:
        """A record's values (by state name) merged in; what changed, name → (before, after)."""
        data, times, changed = streamed_over_stored(self.data, self.field_times, self.polled_at, values, made_at)
        if not changed and times == (self.field_times or {}):
            return {}
        self.changed = True
        self.data, self.field_times = data, times
        if "location" in times:
            self.has_location = True
        if made_at >= self.fetched_at:
            self.fetched_at, self.streamed = made_at, True
        # A car that streams is online.
        if self.online_checked_at is None or made_at >= self.online_checked_at:
            self.online_state, self.online_checked_at = "online", made_at
            self.data = {**self.data, "online_state": "online"}
        return changed

    def written(self) -> dict[str, Any]:
        return {
            "key": self.device_id,
            "data": self.data,
            "field_times": self.field_times,
            "fetched_at": self.fetched_at,
            "online_state": self.online_state,
            "online_checked_at": self.online_checked_at,
            "has_location": self.has_location,
            "streamed": self.streamed,
        }


@dataclass(frozen=True, slots=True)
class Blank:
    """A device with no state yet: a car streaming before its first read."""

    device_id: str
    workspace_id: str
    location: bool
    made_at: datetime  # of the first record the batch merges into it


async def locked_states(session: AsyncSession, blanks: Collection[Blank]) -> dict[str, StreamedState]:
    """The states of these devices, locked; a device without one gets a state of nulls, dated from the record that
    will fill it (`made_at`, see `fill_blanks`), inserted first."""
    ids = sorted(blank.device_id for blank in blanks)
    states = await _select(session, ids)
    missing = [blank for blank in blanks if blank.device_id not in states]
    if missing:
        await session.execute(_insert_blanks(session, missing))
        # Inserted now, or by another process meanwhile.
        states.update(await _select(session, sorted(blank.device_id for blank in missing)))
    return states


async def write_states(session: AsyncSession, states: Iterable[StreamedState]) -> None:
    rows = [state.written() for state in states if state.changed]
    if rows:
        await session.execute(UPDATE_STATE, rows)


async def _select(session: AsyncSession, ids: list[str]) -> dict[str, StreamedState]:
    if not ids:
        return {}
    query = select(*_COLUMNS).where(STATES.c.device_id.in_(ids)).order_by(STATES.c.device_id).with_for_update()
    return {row[0]: StreamedState(*row) for row in await session.execute(query)}


def _insert_blanks(session: AsyncSession, blanks: list[Blank]) -> Any:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    rows = [
        {
            "device_id": blank.device_id,
            "workspace_id": blank.workspace_id,
            "fetched_at": blank.made_at,
            "data": normalize.normalize_vehicle({}, with_location=blank.location),
            "has_location": blank.location,
        }
        for blank in sorted(blanks, key=lambda blank: blank.device_id)
    ]
    return insert(STATES).values(rows).on_conflict_do_nothing(index_elements=["device_id"])
