"""Connect sessions: one trip of an end user through Tesla's consent, from creation to a linked connection."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import ACCESS_NAMES, UnknownAccess, validate_access
from fleetgate.features.connect.redirects import check_redirect_url
from fleetgate.features.connect.schemas import ConnectSessionIn, SessionStatus
from fleetgate.features.customers.service import customer_for_reference, get_customer
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.errors import NotFound, ValidationFailed
from fleetgate.infra.idempotency import create_once, fingerprint
from fleetgate.infra.models import Connection, ConnectSession, Customer
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.ids import new_id
from fleetgate.infra.workspace_rows import get_in_workspace

PENDING, COMPLETED, FAILED, EXPIRED = "pending", "completed", "failed", "expired"


def current_status(connect_session: ConnectSession, now: datetime | None = None) -> SessionStatus:
    """A pending session past its expiry reads as expired, whether or not anything has written that down yet."""
    if connect_session.status == PENDING and connect_session.expires_at <= (now or utcnow()):
        return "expired"
    return cast(SessionStatus, connect_session.status)


def checked_access(names: Iterable[str]) -> list[str]:
    known = list(ACCESS_NAMES)
    names = list(names)
    if not names:
        raise ValidationFailed(
            "access must name at least one kind of access to ask the user for.", field="access", known=known
        )
    try:
        return validate_access(names)
    except UnknownAccess as exc:
        raise ValidationFailed(
            f"Unknown access: {', '.join(exc.names)}. Known: {', '.join(known)}.",
            field="access",
            unknown=exc.names,
            known=known,
        ) from exc


async def build_connect_session(
    session: AsyncSession,
    runtime: Runtime,
    *,
    workspace_id: str,
    customer_id: str,
    access: list[str],
    redirect_url: str | None,
    require_all: bool = False,
    reconnect_connection_id: str | None = None,
) -> ConnectSession:
    """A pending session, checked, for the caller to add; with `reconnect_connection_id`, its flow asks Tesla with
    `prompt_missing_scopes=true` and completing it updates that connection."""
    names = checked_access(access)
    if redirect_url is not None:
        check_redirect_url(redirect_url)
    await get_customer(session, workspace_id, customer_id)
    if reconnect_connection_id is not None:
        connection = await session.get(Connection, reconnect_connection_id)
        if connection is None or connection.workspace_id != workspace_id or connection.customer_id != customer_id:
            raise NotFound(f"No connection {reconnect_connection_id} for customer {customer_id}.")
    now = utcnow()
    connect_session = ConnectSession(
        id=new_id("cs"),
        workspace_id=workspace_id,
        customer_id=customer_id,
        connection_id=reconnect_connection_id,
        reconnect=reconnect_connection_id is not None,
        redirect_url=redirect_url,
        requested_access=names,
        require_all=require_all,
        status=PENDING,
        expires_at=now + timedelta(seconds=runtime.settings.connect_session_ttl_seconds),
        created_at=now,
    )
    return connect_session


async def create_from_request(
    session: AsyncSession, runtime: Runtime, workspace_id: str, body: ConnectSessionIn, idempotency_key: str | None
) -> tuple[ConnectSession, bool]:
    """The session for `POST /v1/connect-sessions`, and whether it is new (false: a replay of the same key)."""
    request_hash = fingerprint(body.model_dump(mode="json"))

    async def build() -> ConnectSession:
        # Everything that can be refused is refused before a customer is created for `reference_id`.
        checked_access(body.access)
        if body.redirect_url is not None:
            check_redirect_url(body.redirect_url)
        customer = await resolve_customer(session, workspace_id, body)
        return await build_connect_session(
            session,
            runtime,
            workspace_id=workspace_id,
            customer_id=customer.id,
            access=body.access,
            redirect_url=body.redirect_url,
            require_all=body.require_all,
        )

    async def find(key: str) -> ConnectSession | None:
        return await find_by_idempotency_key(session, workspace_id, key)

    return await create_once(
        session, idempotency_key, request_hash, find=find, build=build, id_field="connect_session_id"
    )


async def resolve_customer(session: AsyncSession, workspace_id: str, body: ConnectSessionIn) -> Customer:
    if (body.customer_id is None) == (body.reference_id is None):
        raise ValidationFailed(
            "Give exactly one of customer_id (an existing customer) or reference_id (your id for the end user; "
            "a customer is created on first use).",
            field="customer_id",
        )
    if body.customer_id is not None:
        return await get_customer(session, workspace_id, body.customer_id)
    assert body.reference_id is not None
    return await customer_for_reference(session, workspace_id, body.reference_id)


async def find_by_idempotency_key(session: AsyncSession, workspace_id: str, key: str) -> ConnectSession | None:
    query = select(ConnectSession).where(
        ConnectSession.workspace_id == workspace_id, ConnectSession.idempotency_key == key
    )
    return await session.scalar(query)


async def get_connect_session(session: AsyncSession, workspace_id: str, session_id: str) -> ConnectSession:
    return await get_in_workspace(session, ConnectSession, workspace_id, session_id, "connect session")
