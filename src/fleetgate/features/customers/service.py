from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.infra.errors import Conflict
from fleetgate.infra.models import Customer
from fleetgate.infra.security.ids import new_id
from fleetgate.infra.workspace_rows import get_in_workspace


async def get_customer(session: AsyncSession, workspace_id: str, customer_id: str) -> Customer:
    return await get_in_workspace(session, Customer, workspace_id, customer_id, "customer")


async def find_by_reference(session: AsyncSession, workspace_id: str, reference_id: str) -> Customer | None:
    query = select(Customer).where(Customer.workspace_id == workspace_id, Customer.reference_id == reference_id)
    return await session.scalar(query)


async def create_customer(
    session: AsyncSession, workspace_id: str, reference_id: str, name: str | None = None, email: str | None = None
) -> Customer:
    if await find_by_reference(session, workspace_id, reference_id) is not None:
        raise Conflict(f"A customer with reference_id {reference_id!r} already exists.", field="reference_id")
    customer = Customer(id=new_id("cus"), workspace_id=workspace_id, reference_id=reference_id, name=name, email=email)
    session.add(customer)
    await session.flush()
    return customer


async def customer_for_reference(session: AsyncSession, workspace_id: str, reference_id: str) -> Customer:
    """The customer with this reference id, created on first use (apps need not create customers up front)."""
    existing = await find_by_reference(session, workspace_id, reference_id)
    if existing is not None:
        return existing
    customer = Customer(id=new_id("cus"), workspace_id=workspace_id, reference_id=reference_id)
    try:
        # A savepoint: another request creating the same customer at the same moment leaves this one usable.
        async with session.begin_nested():
            session.add(customer)
    except IntegrityError:
        existing = await find_by_reference(session, workspace_id, reference_id)
        if existing is None:
            raise
        return existing
    return customer
