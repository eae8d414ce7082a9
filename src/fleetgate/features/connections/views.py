"""A connection as the API (and its events) show it."""

from __future__ import annotations

from fleetgate.features.access.scopes import granted_access, missing_access
from fleetgate.features.connections.remedies import connection_remedies
from fleetgate.features.connections.schemas import ConnectionOut, Remedies
from fleetgate.infra.models import Connection
from fleetgate.infra.runtime import Runtime


def connection_out(runtime: Runtime, connection: Connection) -> ConnectionOut:
    scopes = connection.granted_scopes or []
    requested = connection.requested_access or []
    return ConnectionOut(
        id=connection.id,
        customer_id=connection.customer_id,
        status=connection.status,
        status_reason=connection.status_reason,
        region=connection.region,
        granted_scopes=list(scopes),
        granted_access=granted_access(scopes),
        requested_access=list(requested),
        missing_access=missing_access(requested, scopes),
        remedies=Remedies(**connection_remedies(runtime, connection.id)),
        created_at=connection.created_at,
        updated_at=connection.updated_at,
        synced_at=connection.synced_at,
    )
