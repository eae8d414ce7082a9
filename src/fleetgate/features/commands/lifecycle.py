"""The commands table as the queue: claiming, marking a send, settling an attempt and recovering after a crash.

Each step is a short transaction of its own, committed before Tesla is called, so that the table always says what
may have happened: a claim (`in_progress`, `claimed_by`, a lease) before the attempt, `sent_at` before a send that
may reach the car, the outcome after. Transactions start with their write, which on SQLite takes the write lock
first (a read that later upgrades to a write can fail where another writer got in between).

Order and exclusion per device: a claim takes a command only while it is its device's oldest active one (checked
in the claim's own statement, whoever claims and whatever list of due commands they read before), and the partial
unique index `uq_commands_running_device` refuses a second `in_progress` command of one device. A recovered claim
goes back to the queue with its submission time, so it is again its device's oldest: nothing behind it can start.

Recovery: a claim whose lease ran out belongs to an executor that died (or hung). Its command goes back to the
queue if the attempt cannot have reached the car or the command is idempotent; otherwise it ends `failed` with
`outcome_unknown`, never sent twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Boolean, Table, and_, bindparam, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from fleetgate.features.commands import outcomes
from fleetgate.features.commands.execution import Job
from fleetgate.features.commands.outcomes import Outcome
from fleetgate.features.commands.reporting import report_settled
from fleetgate.features.commands.status import EXPIRED, FAILED, IN_PROGRESS, OUTCOME_UNKNOWN, QUEUED, SUCCEEDED
from fleetgate.infra.db.base import UTCDateTime, utcnow
from fleetgate.infra.db.detached import columns_of, detached
from fleetgate.infra.db.reads import Reader
from fleetgate.infra.db.writes import SessionWrites, Writes
from fleetgate.infra.models import Command, Connection, Device

Sessions = async_sessionmaker[AsyncSession]
EXPIRED_REASON = "expired before it could run"


@dataclass(frozen=True, slots=True)
class Settled:
    """A command whose claim or wait ended without an attempt's outcome: back in the queue, or terminal."""

    command_id: str
    device_id: str
    command: str
    status: str


_OTHER = aliased(Command)
# A command of the same device that must start (or has started) first. Built once: the claim runs for every command.
OLDER_ACTIVE = exists().where(
    _OTHER.device_id == Command.device_id,
    _OTHER.id != Command.id,
    or_(
        _OTHER.status == IN_PROGRESS,
        and_(
            _OTHER.status == QUEUED,
            or_(
                _OTHER.created_at < Command.created_at,
                and_(_OTHER.created_at == Command.created_at, _OTHER.id < Command.id),
            ),
        ),
    ),
)
_NOW = bindparam("now", type_=UTCDateTime())
_CLAIMABLE = (Command.status == QUEUED, Command.not_before <= _NOW, Command.expires_at > _NOW, ~OLDER_ACTIVE)
DUE = select(Command.id).where(*_CLAIMABLE).order_by(Command.created_at, Command.id).limit(bindparam("limit"))
# Before every send of every command: built once, on the table (no unit of work).
_COMMANDS = cast(Table, Command.__table__)
MARK_SENT = (
    update(_COMMANDS)
    .where(
        _COMMANDS.c.id == bindparam("command_id"),
        _COMMANDS.c.claimed_by == bindparam("worker"),
        _COMMANDS.c.status == IN_PROGRESS,
    )
    .values(sent_at=bindparam("sent_at_value", type_=UTCDateTime()), updated_at=_NOW)
)
# An attempt's outcome, written for every command: built once, on the table. `claimed_by` stays on a command that
# ended: who ran it, for the record.
_HELD = (
    _COMMANDS.c.id == bindparam("command_id"),
    _COMMANDS.c.claimed_by == bindparam("worker"),
    _COMMANDS.c.status == IN_PROGRESS,
)
_REASON = bindparam("reason_value", type_=_COMMANDS.c.reason.type)
_ERROR = bindparam("error_value", type_=_COMMANDS.c.error.type)
RETRY_LATER = (
    update(_COMMANDS)
    .where(*_HELD)
    .values(
        lease_expires_at=None,
        updated_at=_NOW,
        claimed_by=None,
        status=QUEUED,
        reason=_REASON,
        not_before=bindparam("not_before_value", type_=UTCDateTime()),
        sent_at=None,
        # Sticky: some attempt may have reached the car.
        may_have_run=or_(_COMMANDS.c.may_have_run, bindparam("may_have_run_value", type_=Boolean())),
    )
    .returning(*columns_of(Command))
)
END = (
    update(_COMMANDS)
    .where(*_HELD)
    .values(
        lease_expires_at=None,
        updated_at=_NOW,
        status=bindparam("status_value", type_=_COMMANDS.c.status.type),
        reason=_REASON,
        error=_ERROR,
        completed_at=_NOW,
    )
    .returning(*columns_of(Command))
)
END_AS = (
    update(_COMMANDS)
    .where(_COMMANDS.c.id == bindparam("command_id"))
    .values(
        status=bindparam("status_value", type_=_COMMANDS.c.status.type),
        reason=_REASON,
        error=_ERROR,
        completed_at=bindparam("completed_at_value", type_=UTCDateTime()),
    )
)
_CLAIMED_VALUES = {
    "status": IN_PROGRESS,
    "claimed_by": bindparam("worker"),
    "lease_expires_at": bindparam("lease_expires_at", type_=UTCDateTime()),
    "attempts": Command.attempts + 1,
    "started_at": func.coalesce(Command.started_at, _NOW),
    "sent_at": None,
    "updated_at": _NOW,
}
CLAIM = (
    update(Command)
    .where(Command.id.in_(bindparam("command_ids", expanding=True)), *_CLAIMABLE)
    .values(**_CLAIMED_VALUES)
    .returning(Command)
    .execution_options(synchronize_session=False)
)
# The device as it is now, and the connection the command was submitted through.
DEVICES_AND_CONNECTIONS = (
    select(Command.id, Device, Connection)
    .join(Device, Device.id == Command.device_id)
    .join(Connection, Connection.id == Command.connection_id)
    .where(Command.id.in_(bindparam("command_ids", expanding=True)))
)


async def due(reader: Reader, now: datetime, limit: int) -> list[str]:
    """Commands that may start now: each its device's oldest active one, none of its device's running. One
    statement on the reader (`infra.db.reads`): executors ask at every submission and every end."""
    return await reader.scalars(DUE, {"now": now, "limit": limit})


async def expire(sessions: Sessions, now: datetime) -> list[Settled]:
    async with sessions() as session:
        # A read first: the update takes the database's write lock, and most passes find nothing to expire.
        found = await session.scalar(
            select(Command.id).where(Command.status == QUEUED, Command.expires_at <= now).limit(1)
        )
    if found is None:
        return []
    async with sessions() as session, session.begin():
        expired = (
            await session.scalars(
                update(Command)
                .where(Command.status == QUEUED, Command.expires_at <= now)
                .values(status=EXPIRED, reason=EXPIRED_REASON, completed_at=now, updated_at=now)
                .returning(Command)
                .execution_options(populate_existing=True)
            )
        ).all()
        for command in expired:
            await report_settled(SessionWrites(session), command)
    return [Settled(command.id, command.device_id, command.command, EXPIRED) for command in expired]


async def claim(sessions: Sessions, command_id: str, worker: str, lease_seconds: float) -> Job | None:
    """The command as a job for `worker`, or None when it is no longer due (claimed, cancelled, expired, or
    an older command of its device is running or waiting)."""
    jobs = await claim_many(sessions, [command_id], worker, lease_seconds)
    return jobs[0] if jobs else None


async def claim_many(sessions: Sessions, command_ids: Sequence[str], worker: str, lease_seconds: float) -> list[Job]:
    """`claim` for several commands (of different devices, as `due` lists them) in one transaction: the ones still
    due, as jobs, oldest first."""
    if not command_ids:
        return []
    now = utcnow()
    values = {
        "command_ids": list(command_ids),
        "now": now,
        "worker": worker,
        "lease_expires_at": now + timedelta(seconds=lease_seconds),
    }
    async with sessions() as session:
        try:
            async with session.begin():
                commands = list((await session.scalars(CLAIM, values)).all())
                if not commands:
                    return []
                claimed = {"command_ids": [command.id for command in commands]}
                found = {row[0]: (row[1], row[2]) for row in await session.execute(DEVICES_AND_CONNECTIONS, claimed)}
        except IntegrityError:
            # Another executor claimed a command of one of these devices first (the unique index said so): the
            # others are claimed one by one.
            if len(command_ids) == 1:
                return []
            jobs = [await claim_many(sessions, [one], worker, lease_seconds) for one in command_ids]
            return [job for claimed_one in jobs for job in claimed_one]
    commands.sort(key=lambda command: (command.created_at, command.id))
    return [_job(command, *found[command.id]) for command in commands]


def _job(command: Command, device: Device, connection: Connection) -> Job:
    return Job(
        command_id=command.id,
        name=command.command,
        params=command.params,
        wake=command.wake,
        idempotent=command.idempotent,
        attempts=command.attempts,
        device=device,
        connection=connection,
    )


async def mark_sent(sessions: Sessions, command_id: str, worker: str, *, sent: bool) -> bool:
    """False when `worker` no longer holds the claim (its lease ran out and another took the command over): then
    it must not send."""
    async with sessions() as session, session.begin():
        return await mark_sent_in(SessionWrites(session), command_id, worker, sent=sent)


async def mark_sent_in(writes: Writes, command_id: str, worker: str, *, sent: bool) -> bool:
    """`mark_sent` in the caller's transaction."""
    now = utcnow()
    values = {"command_id": command_id, "worker": worker, "sent_at_value": now if sent else None, "now": now}
    return await writes.execute(MARK_SENT, values) == 1


async def renew(sessions: Sessions, worker: str, command_ids: Sequence[str], lease_seconds: float) -> None:
    if not command_ids:
        return
    now = utcnow()
    async with sessions() as session, session.begin():
        await session.execute(
            update(Command)
            .where(Command.id.in_(command_ids), Command.claimed_by == worker, Command.status == IN_PROGRESS)
            .values(lease_expires_at=now + timedelta(seconds=lease_seconds))
        )


async def settle(writes: Writes, command_id: str, worker: str, outcome: Outcome) -> Command | None:
    """Writes the attempt's outcome in the caller's transaction; None when the claim was lost meanwhile (its lease
    ran out and recovery took the command), and then nothing is written. The command returned is as written, and
    belongs to no session."""
    now = utcnow()
    claim = {"command_id": command_id, "worker": worker, "now": now}
    values: dict[str, object]
    if outcome.status == "retry":
        values = {
            "reason_value": outcome.reason,
            "not_before_value": now + timedelta(seconds=outcome.retry_after_seconds),
            "may_have_run_value": outcome.may_have_run,
        }
        rows = await writes.rows(RETRY_LATER, {**claim, **values})
    else:
        status = SUCCEEDED if outcome.status == "succeeded" else FAILED
        values = {"status_value": status, "reason_value": outcome.reason, "error_value": outcome.error}
        rows = await writes.rows(END, {**claim, **values})
    if not rows:
        return None
    command = detached(Command, rows[0])
    written = (command.status, command.reason, command.error, command.completed_at)
    if command.status == QUEUED and command.not_before >= command.expires_at:
        # It would run again only after its expiry: it ends here, with what stopped it.
        command.status = EXPIRED
        command.completed_at = now
    _not_knowing_whether_it_ran(command)
    if (command.status, command.reason, command.error, command.completed_at) != written:
        await writes.execute(
            END_AS,
            {
                "command_id": command_id,
                "status_value": command.status,
                "reason_value": command.reason,
                "error_value": command.error,
                "completed_at_value": command.completed_at,
            },
        )
    return command


def _not_knowing_whether_it_ran(command: Command) -> None:
    """A command that ends failed or expired after an attempt that may have reached the car may have run all the
    same: it ends `outcome_unknown`, not with the last attempt's failure."""
    if not command.may_have_run or command.status not in (FAILED, EXPIRED) or command.reason == OUTCOME_UNKNOWN:
        return
    last = "it expired before it could be sent again" if command.status == EXPIRED else f"then: {command.reason}"
    unknown = outcomes.unknown(f"An earlier attempt may have reached the car ({last}).", why_not_again=False)
    command.status = FAILED
    command.reason = unknown.reason
    command.error = unknown.error


async def recover(sessions: Sessions, now: datetime, command_id: str | None = None) -> list[Settled]:
    """Commands (or the one command) whose executor's lease ran out: back to the queue, or `failed` with
    `outcome_unknown`."""
    query = select(Command.id, Command.claimed_by).where(Command.status == IN_PROGRESS, Command.lease_expires_at < now)
    if command_id is not None:
        query = query.where(Command.id == command_id)
    async with sessions() as session:
        stale = (await session.execute(query)).all()
    settled: list[Settled] = []
    for stale_id, worker in stale:
        done = await release(sessions, stale_id, worker, now=now, lease_expired=True)
        if done is not None:
            settled.append(done)
    return settled


async def release(
    sessions: Sessions, command_id: str, worker: str | None, *, now: datetime, lease_expired: bool = False
) -> Settled | None:
    """Ends `worker`'s claim without an outcome (it died, or is shutting down): the recovery rules apply."""
    async with sessions() as session, session.begin():
        conditions = [Command.id == command_id, Command.status == IN_PROGRESS, Command.claimed_by == worker]
        if lease_expired:
            conditions.append(Command.lease_expires_at < now)
        # The write first (see the module's docstring): a no-op update that locks the row where it matches.
        locked = await session.execute(
            update(Command).where(*conditions).values(updated_at=now).execution_options(synchronize_session=False)
        )
        if locked.rowcount != 1:  # type: ignore[attr-defined]
            return None
        command = await session.get(Command, command_id, populate_existing=True)
        assert command is not None
        command.lease_expires_at = None
        if command.sent_at is None or command.idempotent:
            # An idempotent command is sent again whether or not it went out; if it did, it may have run.
            command.may_have_run = command.may_have_run or command.sent_at is not None
            command.sent_at = None
            command.claimed_by = None
            if command.expires_at > now:
                command.status = QUEUED
                command.not_before = now
                return Settled(command.id, command.device_id, command.command, QUEUED)
            command.status = EXPIRED
            command.reason = command.reason or EXPIRED_REASON
            _not_knowing_whether_it_ran(command)
        else:
            unknown = outcomes.unknown("The executor stopped while the command was being sent.")
            command.status = FAILED
            command.reason = unknown.reason
            command.error = unknown.error
        command.completed_at = now
        await session.flush()
        await report_settled(SessionWrites(session), command)
        return Settled(command.id, command.device_id, command.command, command.status)
