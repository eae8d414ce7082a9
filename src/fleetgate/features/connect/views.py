"""What the hosted pages show, gathered from the session, its connection and its devices."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import ACCESS_BY_NAME
from fleetgate.features.connect.brand import Brand, load_brand
from fleetgate.features.connect.pairing_step import asks_for_key
from fleetgate.features.connect.qr import qr_svg
from fleetgate.features.connect.schemas import ConnectSessionOut, SessionError
from fleetgate.features.connect.service import COMPLETED, current_status
from fleetgate.features.devices.virtual_key import pairing_offered, pairing_url
from fleetgate.infra.models import Connection, ConnectSession, Device
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
    has_key: bool = False


@dataclass
class ResultView:
    status: str
    granted: list[AccessItem] = field(default_factory=list)
    missing: list[AccessItem] = field(default_factory=list)
    can_reconnect: bool = False
    manage_access_url: str | None = None
    pairing: list[PairingItem] = field(default_factory=list)
    devices_synced: bool = True
    devices: str | None = None


def access_items(names: list[str]) -> list[AccessItem]:
    return [
        AccessItem(name, ACCESS_BY_NAME[name].title, ACCESS_BY_NAME[name].why)
        for name in names
        if name in ACCESS_BY_NAME
    ]


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """Pluralised: "1 energy site", "2 energy sites"."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def devices_summary(vehicles: int, energy_sites: int) -> str | None:
    """What the account shares, in words: "2 vehicles and 1 energy site"; None when nothing was found."""
    parts = [counted(vehicles, "vehicle")] if vehicles else []
    if energy_sites:
        parts.append(counted(energy_sites, "energy site"))
    return " and ".join(parts) or None


async def brand(session: AsyncSession, connect_session: ConnectSession) -> Brand:
    return await load_brand(session, connect_session.workspace_id)


async def app_name(session: AsyncSession, connect_session: ConnectSession) -> str:
    return (await brand(session, connect_session)).name


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
    devices = await active_devices(session, connection)
    vehicles = [device for device in devices if device.type == "vehicle"]
    view.devices = devices_summary(len(vehicles), len(devices) - len(vehicles))
    # Pairing only matters to an app that asked to send commands; it is pointless noise for a read-only app.
    if asks_for_key(connect_session):
        view.pairing = [item for item in pairing_items(runtime, key_cars(devices)) if not item.has_key]
    return view


async def active_devices(session: AsyncSession, connection: Connection) -> list[Device]:
    query = (
        select(Device)
        .where(Device.connection_id == connection.id, Device.status == DeviceStatus.ACTIVE)
        .order_by(Device.created_at, Device.id)
    )
    return list((await session.scalars(query)).all())


def key_cars(devices: list[Device]) -> list[Device]:
    """The cars the app's key is for: every vehicle that speaks the command protocol, with the key or not yet."""
    cars = [device for device in devices if device.type == "vehicle" and device.command_signing != "off"]
    return sorted(cars, key=lambda car: ((car.display_name or car.external_id).casefold(), car.external_id))


def lacks_key(device: Device) -> bool:
    return pairing_offered(device)


def pairing_items(runtime: Runtime, cars: list[Device]) -> list[PairingItem]:
    items = []
    for device in cars:
        name = device.display_name or device.external_id
        url = pairing_url(runtime.settings, runtime.endpoints, device.external_id)
        qr = qr_svg(url, label=f"QR code: add the key to {name}")
        items.append(PairingItem(device.external_id, name, url, qr, has_key=not lacks_key(device)))
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
