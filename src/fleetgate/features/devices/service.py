"""Devices as the API shows them (the virtual-key re-check is in `pairing`)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import (
    VEHICLE,
    ConnectionFacts,
    Decision,
    VirtualKeyFacts,
    device_capabilities,
)
from fleetgate.features.connections.remedies import connection_remedies
from fleetgate.features.devices.schemas import (
    CapabilityOut,
    DeviceOut,
    EnergySiteOut,
    VehicleOut,
    VirtualKeyOut,
    VirtualKeyStatus,
)
from fleetgate.features.devices.virtual_key import key_required, pairing_url
from fleetgate.infra.errors import NotFound
from fleetgate.infra.models import Connection, Device
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.workspace_rows import get_in_workspace


async def get_device(session: AsyncSession, workspace_id: str, device_id: str) -> Device:
    return await get_in_workspace(session, Device, workspace_id, device_id, "device")


async def get_vehicle(session: AsyncSession, workspace_id: str, device_id: str) -> Device:
    device = await get_device(session, workspace_id, device_id)
    if device.type != VEHICLE:
        raise NotFound(f"Device {device_id} is an energy site; virtual keys belong to vehicles.")
    return device


async def connection_of(session: AsyncSession, device: Device) -> Connection:
    connection = await session.get(Connection, device.connection_id)
    assert connection is not None  # a foreign key with ON DELETE CASCADE
    return connection


def list_query(
    workspace_id: str,
    *,
    customer_id: str | None = None,
    connection_id: str | None = None,
    device_type: str | None = None,
    status: str | None = None,
) -> Select[Device]:
    query = select(Device).where(Device.workspace_id == workspace_id)
    if customer_id is not None:
        query = query.where(Device.customer_id == customer_id)
    if connection_id is not None:
        query = query.where(Device.connection_id == connection_id)
    if device_type is not None:
        query = query.where(Device.type == device_type)
    if status is not None:
        query = query.where(Device.status == status)
    return query


async def connections_by_id(session: AsyncSession, devices: list[Device]) -> dict[str, Connection]:
    ids = {device.connection_id for device in devices}
    if not ids:
        return {}
    rows = await session.scalars(select(Connection).where(Connection.id.in_(ids)))
    return {row.id: row for row in rows}


def connection_facts(runtime: Runtime, connection: Connection) -> ConnectionFacts:
    return facts_of_connection(
        runtime, connection.id, connection.status, connection.status_reason, connection.granted_scopes
    )


def facts_of_connection(
    runtime: Runtime, connection_id: str, status: str, status_reason: str | None, scopes: Iterable[str] | None
) -> ConnectionFacts:
    """From a connection's columns, for reads that load plain values rather than the row."""
    remedies = connection_remedies(runtime, connection_id)
    return ConnectionFacts(
        id=connection_id,
        status=status,
        status_reason=status_reason,
        scopes=frozenset(scopes or ()),
        remedies=remedies,
    )


def virtual_key_facts(runtime: Runtime, device: Device) -> VirtualKeyFacts:
    return VirtualKeyFacts(
        required=key_required(device),
        paired=device.virtual_key_paired,
        pairing_url=pairing_url(runtime.settings, runtime.endpoints, device.external_id),
        check_url=f"/v1/devices/{device.id}/virtual-key/check",
        vehicle=vehicle_named(device),
        checked_at=device.virtual_key_checked_at,
        firmware=device.firmware_version,
    )


def vehicle_named(device: Device) -> str:
    return f"{device.display_name} (VIN {device.external_id})" if device.display_name else f"VIN {device.external_id}"


def capabilities_of(runtime: Runtime, device: Device, connection: Connection) -> dict[str, Decision]:
    key = virtual_key_facts(runtime, device) if device.type == VEHICLE else None
    return device_capabilities(device.type, connection_facts(runtime, connection), device.status, key)


def virtual_key_out(runtime: Runtime, device: Device) -> VirtualKeyOut:
    facts = virtual_key_facts(runtime, device)
    return VirtualKeyOut(
        required=facts.required,
        paired=facts.paired,
        pairing_url=facts.pairing_url,
        checked_at=device.virtual_key_checked_at,
    )


def virtual_key_status(runtime: Runtime, device: Device) -> VirtualKeyStatus:
    key = virtual_key_out(runtime, device)
    return VirtualKeyStatus(device_id=device.id, vin=device.external_id, **key.model_dump())


def capabilities_out(runtime: Runtime, device: Device, connection: Connection) -> dict[str, CapabilityOut]:
    return {
        name: CapabilityOut(available=decision.available, reason=decision.reason, remedy=decision.remedy)
        for name, decision in capabilities_of(runtime, device, connection).items()
    }


def device_out(runtime: Runtime, device: Device, connection: Connection) -> DeviceOut:
    capabilities = capabilities_out(runtime, device, connection)
    common = {
        "id": device.id,
        "connection_id": device.connection_id,
        "customer_id": device.customer_id,
        "display_name": device.display_name,
        "status": device.status,
        "capabilities": capabilities,
        "created_at": device.created_at,
        "updated_at": device.updated_at,
    }
    if device.type == VEHICLE:
        return VehicleOut(
            **common,
            vin=device.external_id,
            command_signing=device.command_signing,
            firmware_version=device.firmware_version,
            virtual_key=virtual_key_out(runtime, device),
        )
    return EnergySiteOut(**common, energy_site_id=int(device.external_id), resource_type=device.resource_type)


async def devices_of(session: AsyncSession, connection: Connection) -> list[Device]:
    query = select(Device).where(Device.connection_id == connection.id).order_by(Device.created_at, Device.id)
    return list((await session.scalars(query)).all())
