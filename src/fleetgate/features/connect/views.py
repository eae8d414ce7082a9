"""What the hosted pages show, gathered from the session, its connection and its devices."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import ACCESS_BY_NAME
from fleetgate.features.connect.authorize import needs_virtual_key
from fleetgate.features.connect.qr import qr_svg
from fleetgate.features.connect.schemas import ConnectSessionOut, SessionError
from fleetgate.features.connect.service import COMPLETED, current_status
from fleetgate.features.devices.virtual_key import pairing_offered, pairing_url
from fleetgate.infra.models import Connection, ConnectSession, Device, Workspace
from fleetgate.infra.models.device import DeviceStatus
from fleetgate.infra.runtime import Runtime


@dataclass(frozen=True, slots=True)
class AccessItem:
    name: str
    title: str
    why: str


@dataclass(frozen=True, slots=True)
class PairingItem:
    vin: str
    name: str
    url: str
    qr: Markup


@dataclass
class ResultView:
    status: str
    granted: list[AccessItem] = field(default_factory=list)
    missing: list[AccessItem] = field(default_factory=list)
    can_reconnect: bool = False
    manage_access_url: str | None = None
    pairing: list[PairingItem] = field(default_factory=list)
    devices_synced: bool = True


def access_items(names: list[str]) -> list[AccessItem]:
    return [
        AccessItem(name, ACCESS_BY_NAME[name].title, ACCESS_BY_NAME[name].why)
        for name in names
        if name in ACCESS_BY_NAME
    ]


async def app_name(session: AsyncSession, connect_session: ConnectSession) -> str:
    workspace = await session.get(Workspace, connect_session.workspace_id)
    return workspace.name if workspace is not None else "The application"


def session_url(runtime: Runtime, connect_session: ConnectSession, page: str = "") -> str:
    return f"{runtime.settings.public_url.rstrip('/')}/connect/{connect_session.id}{page}"


def manage_access_url(runtime: Runtime, connect_session: ConnectSession) -> str:
    """Tesla's page where the user ticks or unticks what the app may do, coming back to this result page."""
    query = urlencode(
        {"revoke_client_id": runtime.settings.client_id, "back_url": session_url(runtime, connect_session, "/result")}
    )
    return f"{runtime.endpoints.manage_access_url}?{query}"


async def result_view(session: AsyncSession, runtime: Runtime, connect_session: ConnectSession) -> ResultView:
    status = current_status(connect_session)
    view = ResultView(status=status)
    if status != COMPLETED or connect_session.connection_id is None:
        return view
    result = connect_session.result or {}
    view.granted = access_items(list(result.get("granted_access", [])))
    view.missing = access_items(list(result.get("missing_access", [])))
    view.devices_synced = bool(result.get("devices_synced", True))
    view.manage_access_url = manage_access_url(runtime, connect_session)
    connection = await session.get(Connection, connect_session.connection_id)
    if connection is None or connection.workspace_id != connect_session.workspace_id:
        return view
    view.can_reconnect = bool(view.missing) and connection.status != "revoked"
    # Pairing only matters to an app that asked to send commands; it is pointless noise for a read-only app.
    if needs_virtual_key(connect_session.requested_access):
        view.pairing = await pairing_items(session, runtime, connection)
    return view


async def pairing_items(session: AsyncSession, runtime: Runtime, connection: Connection) -> list[PairingItem]:
    query = (
        select(Device)
        .where(Device.connection_id == connection.id, Device.type == "vehicle", Device.status == DeviceStatus.ACTIVE)
        .order_by(Device.created_at, Device.id)
    )
    items = []
    for device in (await session.scalars(query)).all():
        if not pairing_offered(device):
            continue
        name = device.display_name or device.external_id
        url = pairing_url(runtime.settings, runtime.endpoints, device.external_id)
        items.append(PairingItem(device.external_id, name, url, qr_svg(url, label=f"QR code: add the key to {name}")))
    return items


def present(connect_session: ConnectSession, runtime: Runtime) -> ConnectSessionOut:
    result = connect_session.result or {}
    error = (
        SessionError(code=connect_session.error_code, message=connect_session.error_message or "")
        if connect_session.error_code
        else None
    )
    return ConnectSessionOut(
        id=connect_session.id,
        url=f"{runtime.settings.public_url.rstrip('/')}/connect/{connect_session.id}",
        status=current_status(connect_session),
        expires_at=connect_session.expires_at,
        customer_id=connect_session.customer_id,
        access=list(connect_session.requested_access),
        require_all=connect_session.require_all,
        reconnect=connect_session.reconnect,
        connection_id=connect_session.connection_id,
        redirect_url=connect_session.redirect_url,
        granted_access=result.get("granted_access"),
        missing_access=result.get("missing_access"),
        error=error,
        created_at=connect_session.created_at,
        completed_at=connect_session.completed_at,
    )
