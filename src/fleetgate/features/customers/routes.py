from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from fleetgate.features.customers.schemas import CustomerIn, CustomerOut
from fleetgate.features.customers.service import create_customer, get_customer
from fleetgate.infra.dependencies import SessionDep, WorkspaceDep
from fleetgate.infra.models import Customer
from fleetgate.infra.pagination import Page, PageDep, paginate

router = APIRouter(tags=["customers"])


@router.post("/v1/customers", name="create_customer", summary="Create a customer", status_code=201)
async def create(body: CustomerIn, workspace: WorkspaceDep, session: SessionDep) -> CustomerOut:
    customer = await create_customer(session, workspace.id, body.reference_id, body.name, body.email)
    return CustomerOut.model_validate(customer)


@router.get("/v1/customers", name="list_customers", summary="List customers")
async def list_customers(workspace: WorkspaceDep, session: SessionDep, page: PageDep) -> Page[CustomerOut]:
    query = select(Customer).where(Customer.workspace_id == workspace.id)
    rows, cursor = await paginate(session, query, Customer, page)
    return Page(data=[CustomerOut.model_validate(row) for row in rows], next_cursor=cursor)


@router.get("/v1/customers/{customer_id}", name="get_customer", summary="Read a customer")
async def get(customer_id: str, workspace: WorkspaceDep, session: SessionDep) -> CustomerOut:
    return CustomerOut.model_validate(await get_customer(session, workspace.id, customer_id))
