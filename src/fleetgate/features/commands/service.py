"""Submitting, reading and cancelling commands. Everything a submission can get wrong is refused here, before
anything is queued or sent (and billed): an unknown command (422), one for the other device type (422), bad
params (422), a removed device (410), a connection that needs a reconnect (409), a missing scope (403 with the
access to ask for and the links that get it)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from pydantic import ValidationError
from sqlalchemy import Select, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import ENERGY_SITE
from fleetgate.features.commands.catalog import BY_NAME, CommandSpec
from fleetgate.features.commands.reporting import report_settled
from fleetgate.features.commands.schemas import CommandIn
from fleetgate.features.commands.status import CANCELLED, QUEUED, TERMINAL
from fleetgate.features.connections.fleet import ensure_usable, remedies_of
from fleetgate.features.devices.state_service import DeviceRemoved
from fleetgate.infra.db.after_commit import Topic, announce
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.errors import APIError, Conflict, InsufficientScope, ValidationFailed
from fleetgate.infra.idempotency import check_idempotency_key, fingerprint, replay
from fleetgate.infra.models import Command, Connection, Device
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.infra.workspace_rows import get_in_workspace

CATALOG_URL = "/v1/commands/catalog"


class Queued(NamedTuple):
    command_id: str
    device_id: str


# Announced when a transaction that queued a command commits: to this process's command queue (the executor, or
# the job queue of the workers), which must find the row when it looks.
COMMAND_QUEUED: Topic[Queued] = Topic("command queued")


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


def check_access(runtime: Runtime, spec: CommandSpec, device: Device, connection: Connection) -> None:
    if device.status != DeviceStatus.ACTIVE:
        raise DeviceRemoved(
            f"Device {device.id} is no longer on the Tesla account of connection {connection.id}.",
            remedy={"action": "sync", "sync_url": f"/v1/connections/{connection.id}/sync"},
            device_id=device.id,
        )
    ensure_usable(runtime, connection)
    if set(connection.granted_scopes or ()).isdisjoint(spec.scopes):
        raise InsufficientScope(
            f"{spec.name} needs the `{spec.access}` access, which the user did not grant.",
            remedy={"missing_access": [spec.access], **remedies_of(runtime, connection)},
            missing_scopes=list(spec.scopes),
        )


async def submit(
    session: AsyncSession,
    runtime: Runtime,
    workspace_id: str,
    device_id: str,
    body: CommandIn,
    idempotency_key: str | None,
) -> tuple[Command, bool]:
    """The queued command, and whether it is new (false: a replay of the same Idempotency-Key and body)."""
    device = await get_in_workspace(session, Device, workspace_id, device_id, "device")
    spec = spec_for(body.command, device)
    params = validated_params(spec, body)
    request_hash = fingerprint({"device_id": device_id, **body.model_dump(mode="json"), "params": params})
    if idempotency_key is not None:
        check_idempotency_key(idempotency_key)
        earlier = await _by_idempotency_key(session, workspace_id, idempotency_key)
        if earlier is not None:
            return replay(earlier, request_hash, "command_id"), False
    connection = await session.get(Connection, device.connection_id)
    assert connection is not None  # a foreign key with ON DELETE CASCADE
    check_access(runtime, spec, device, connection)
    now = utcnow()
    command = Command(
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
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        created_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(command)
    except IntegrityError:
        # The same key, submitted at the same moment by another request that committed first.
        assert idempotency_key is not None
        earlier = await _by_idempotency_key(session, workspace_id, idempotency_key)
        if earlier is None:
            raise
        return replay(earlier, request_hash, "command_id"), False
    announce(session, COMMAND_QUEUED, Queued(command.id, command.device_id))
    return command, True


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
    await report_settled(session, command)
    return command


def _not_cancellable(command: Command) -> APIError:
    if command.status in TERMINAL:
        message = f"Command {command.id} has already ended ({command.status})."
    else:
        message = f"Command {command.id} is in progress: it may already have reached the car."
    return CommandNotCancellable(message, command_id=command.id, status=command.status)
