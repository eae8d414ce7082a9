from __future__ import annotations

from fleetgate.features.commands.catalog import CommandSpec
from fleetgate.features.commands.schemas import CatalogEntry, CommandError, CommandOut
from fleetgate.infra.models import Command


def command_out(command: Command) -> CommandOut:
    return CommandOut(
        id=command.id,
        device_id=command.device_id,
        connection_id=command.connection_id,
        customer_id=command.customer_id,
        command=command.command,
        params=command.params,
        wake=command.wake,
        idempotent=command.idempotent,
        status=command.status,
        reason=command.reason,
        error=CommandError.model_validate(command.error) if command.error else None,
        attempts=command.attempts,
        created_at=command.created_at,
        started_at=command.started_at,
        completed_at=command.completed_at,
        expires_at=command.expires_at,
    )


def catalog_entry(spec: CommandSpec) -> CatalogEntry:
    return CatalogEntry(
        name=spec.name,
        device_type=spec.device_type,
        description=spec.description,
        params_schema=spec.params.model_json_schema(),
        capability=spec.capability,
        access=spec.access,
        scopes=list(spec.scopes),
        idempotent=spec.idempotent,
        virtual_key_required=spec.needs_virtual_key,
        tesla=spec.tesla_path,
    )
