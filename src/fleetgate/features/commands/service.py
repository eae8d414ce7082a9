"""Submitting, reading and cancelling commands. Everything a submission can get wrong is refused here, before
anything is queued or sent (and billed): an unknown command (422), one for the other device type (422), bad
params (422), then the device's access in the order every check follows (`access.capabilities`): a connection
that needs a reconnect or was deleted (409), a removed device (410), a missing scope (403 with the access to ask
for and the links that get it), a car Tesla said lacks the app's virtual key (409 with the pairing link, unless
the caller asks to try anyway; see `key_check`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple, cast

from pydantic import ValidationError
from sqlalchemy import Select, Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import ENERGY_SITE, VirtualKeyFacts
from fleetgate.features.commands.catalog import BY_NAME, CommandSpec
from fleetgate.features.commands.key_check import key_for_submission
from fleetgate.features.commands.reporting import report_settled
from fleetgate.features.commands.schemas import CommandIn
from fleetgate.features.commands.status import CANCELLED, QUEUED, TERMINAL
from fleetgate.features.devices.errors import require
from fleetgate.features.devices.service import connection_facts
from fleetgate.infra.db.after_commit import Topic
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.detached import columns_of, detached
from fleetgate.infra.db.notify import COMMANDS_CHANNEL, notify_on_commit
from fleetgate.infra.db.writes import SessionWrites, Writes, insert_of
from fleetgate.infra.errors import APIError, Conflict, NotFound, ValidationFailed
from fleetgate.infra.idempotency import create_once, fingerprint
from fleetgate.infra.models import Command, Connection, Device
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.infra.workspace_rows import MAX_ID_LENGTH, get_in_workspace

CATALOG_URL = "/v1/commands/catalog"


class Queued(NamedTuple):
    command_id: str
    device_id: str


# Announced when a transaction that queued a command commits: to this process's command queue (its executor,
# and the wake-ups of other processes), which must find the row when it looks.
COMMAND_QUEUED: Topic[Queued] = Topic("command queued")


# What a submission writes (the columns it leaves out take their defaults), and what it reads first: built once.
_SUBMITTED = (
    "id",
    "workspace_id",
    "device_id",
    "connection_id",
    "customer_id",
    "command",
    "params",
    "idempotent",
    "wake",
    "status",
    "attempts",
    "not_before",
    "expires_at",
    "request_hash",
    "created_at",
    "updated_at",
)
INSERT_COMMAND = insert_of(cast(Table, Command.__table__), _SUBMITTED)
DEVICE_AND_CONNECTION = (
    select(*columns_of(Device), *columns_of(Connection))
    .join_from(Device, Connection, Connection.id == Device.connection_id)
    .where(Device.id == bindparam("device_id"), Device.workspace_id == bindparam("workspace_id"))
)


class CommandNotCancellable(Conflict):
    code = "command_not_cancellable"


def spec_for(name: str, device: Device) -> CommandSpec:
    spec = BY_NAME.get(name)
    if spec is None:
        raise ValidationFailed(f"There is no command {name!r}.", field="command", remedy={"catalog_url": CATALOG_URL})
    if spec.device_type != device.type:
        kind = "an energy site" if device.type == ENERGY_SITE else "a vehicle"
        raise ValidationFailed(
            f"{name} is a command for {spec.device_type.replace('_', ' ')}s; device {device.id} is {kind}.",
            field="command",
            remedy={"catalog_url": f"{CATALOG_URL}?device_type={device.type}"},
        )
    return spec


def validated_params(spec: CommandSpec, body: CommandIn) -> dict[str, object]:
    try:
        return spec.validate(body.params)
    except ValidationError as exc:
        problems = [
            {"field": ".".join(["params", *(str(part) for part in error["loc"])]), "problem": error["msg"]}
            for error in exc.errors()
        ]
        raise ValidationFailed(
            f"The params of {spec.name} are not valid.",
            details=problems,
            remedy={"params_schema": spec.params.model_json_schema()},
        ) from None


def check_access(
    runtime: Runtime, spec: CommandSpec, device: Device, connection: Connection, key: VirtualKeyFacts | None
) -> None:
    """The one access decision, in its one order (see `access.capabilities`); `key` None leaves the virtual key to
    Tesla (see `key_check`)."""
    require(spec.needs, connection_facts(runtime, connection), device.status, device.id, spec.name, key)


async def submit(
    session: AsyncSession,
    runtime: Runtime,
    workspace_id: str,
    device_id: str,
    body: CommandIn,
    idempotency_key: str | None,
) -> tuple[Command, bool]:
    """The queued command, and whether it is new (false: a replay of the same Idempotency-Key and body). Without an
    Idempotency-Key, one insert on the writer (`infra.db.writes`): the request's session is not used."""
    device, connection = await _device_and_connection(runtime, workspace_id, device_id)
    spec = spec_for(body.command, device)
    params = validated_params(spec, body)
    request_hash = fingerprint({"device_id": device_id, **body.model_dump(mode="json"), "params": params})

    async def build() -> Command:
        # Here rather than before: a replay of an Idempotency-Key is answered without asking Tesla about the key.
        key = await key_for_submission(session, runtime, spec, device, connection, body.if_key_missing)
        check_access(runtime, spec, device, connection, key)
        now = utcnow()
        return Command(
            id=new_id("cmd"),
            workspace_id=workspace_id,
            device_id=device.id,
            connection_id=connection.id,
            customer_id=device.customer_id,
            command=spec.name,
            params=params,
            idempotent=spec.idempotent,
            wake=body.wake,
            status=QUEUED,
            attempts=0,
            not_before=now,
            expires_at=now + timedelta(seconds=body.expires_in),
            request_hash=request_hash,
            created_at=now,
            updated_at=now,
        )

    if idempotency_key is None:
        command = await build()

        async def insert(writes: Writes) -> None:
            await writes.execute(INSERT_COMMAND, {name: getattr(command, name) for name in _SUBMITTED})
            await _queued(writes, command)

        await runtime.writer.run(insert)
        return command, True

    async def find(key: str) -> Command | None:
        return await _by_idempotency_key(session, workspace_id, key)

    command, created = await create_once(
        session, idempotency_key, request_hash, find=find, build=build, id_field="command_id"
    )
    if created:
        await _queued(SessionWrites(session), command)
    return command, created


async def _queued(writes: Writes, command: Command) -> None:
    writes.announce(COMMAND_QUEUED, Queued(command.id, command.device_id))
    await notify_on_commit(writes, COMMANDS_CHANNEL)


async def _device_and_connection(runtime: Runtime, workspace_id: str, device_id: str) -> tuple[Device, Connection]:
    """In one statement on the reader; 404 for another workspace's device, as `get_in_workspace` answers."""
    if len(device_id) > MAX_ID_LENGTH:
        raise NotFound(f"No device {device_id}.")
    found = await runtime.reader.first(DEVICE_AND_CONNECTION, {"device_id": device_id, "workspace_id": workspace_id})
    if found is None:
        raise NotFound(f"No device {device_id}.")
    split = len(columns_of(Device))
    return detached(Device, found[:split]), detached(Connection, found[split:])


async def _by_idempotency_key(session: AsyncSession, workspace_id: str, key: str) -> Command | None:
    query = select(Command).where(Command.workspace_id == workspace_id, Command.idempotency_key == key)
    return (await session.scalars(query)).first()


async def get_command(session: AsyncSession, workspace_id: str, command_id: str) -> Command:
    return await get_in_workspace(session, Command, workspace_id, command_id, "command")


def list_query(
    workspace_id: str, *, device_id: str | None = None, status: str | None = None, command: str | None = None
) -> Select[Any]:
    query = select(Command).where(Command.workspace_id == workspace_id)
    if device_id is not None:
        query = query.where(Command.device_id == device_id)
    if status is not None:
        query = query.where(Command.status == status)
    if command is not None:
        query = query.where(Command.command == command)
    return query


async def cancel(session: AsyncSession, workspace_id: str, command_id: str) -> Command:
    """Only a queued command can be cancelled: one in progress may already be at the car."""
    command = await get_command(session, workspace_id, command_id)
    now = utcnow()
    # Conditional: an executor may claim it at this very moment, and then the claim wins.
    result = await session.execute(
        update(Command)
        .where(Command.id == command.id, Command.status == QUEUED)
        .values(status=CANCELLED, reason="cancelled by the application", completed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    await session.refresh(command)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise _not_cancellable(command)
    await report_settled(SessionWrites(session), command)
    return command


def _not_cancellable(command: Command) -> APIError:
    if command.status in TERMINAL:
        message = f"Command {command.id} has already ended ({command.status})."
    else:
        message = f"Command {command.id} is in progress: it may already have reached the car."
    return CommandNotCancellable(message, command_id=command.id, status=command.status)
