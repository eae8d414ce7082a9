"""Driving the console over HTTP as a browser would: the login form, the pages, their forms' CSRF tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select, update

from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import ApiKey, Command, Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.api_keys import hash_api_key
from fleetgate.infra.security.ids import new_id
from tests.simulator.auth_helpers import Page, page

LOGIN = "/console/login"
COOKIE = "fleetgate_console"


async def log_in(gateway: httpx.AsyncClient, api_key: str, next_path: str | None = None) -> httpx.Response:
    """Opens the login form (with `next` as a redirect to it would give) and sends the key; answers the POST's
    response, not followed."""
    opened = await gateway.get(LOGIN, params={"next": next_path} if next_path else None)
    assert opened.status_code == 200, opened.text
    form = page(opened).form(LOGIN)
    return await gateway.post(LOGIN, data=form.data(api_key=api_key))


async def logged_in(gateway: httpx.AsyncClient, api_key: str) -> None:
    response = await log_in(gateway, api_key)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/console"


async def open_page(gateway: httpx.AsyncClient, path: str, status: int = 200) -> Page:
    response = await gateway.get(path)
    assert response.status_code == status, (response.status_code, response.headers.get("location"), response.text)
    return page(response)


def csrf_token(shown: Page) -> str:
    return shown.form("/console/logout").data()["csrf_token"][0]


async def api_key_id(runtime: Runtime, api_key: str) -> str:
    async with runtime.sessionmaker() as session:
        found = await session.scalar(select(ApiKey.id).where(ApiKey.key_hash == hash_api_key(api_key)))
    assert found is not None
    return found


async def revoke(runtime: Runtime, api_key: str) -> None:
    async with runtime.sessionmaker() as session, session.begin():
        await session.execute(
            update(ApiKey).where(ApiKey.key_hash == hash_api_key(api_key)).values(revoked_at=utcnow())
        )


async def add_command(runtime: Runtime, workspace_id: str, device: dict[str, Any], **fields: Any) -> str:
    """A row of the commands table, as the executor leaves it (`device` as the API shows it)."""
    now = utcnow()
    values: dict[str, Any] = {
        "id": new_id("cmd"),
        "workspace_id": workspace_id,
        "device_id": device["id"],
        "connection_id": device["connection_id"],
        "customer_id": device["customer_id"],
        "command": "honk_horn",
        "params": {},
        "idempotent": False,
        "status": "succeeded",
        "attempts": 1,
        "expires_at": now + timedelta(minutes=10),
        "created_at": now,
        **fields,
    }
    async with runtime.sessionmaker() as session, session.begin():
        session.add(Command(**values))
    return str(values["id"])


@dataclass
class WebhookRows:
    endpoint_id: str
    event_id: str
    delivery_id: str


async def add_failing_webhook(runtime: Runtime, workspace_id: str, url: str) -> WebhookRows:
    """An endpoint, an event and its delivery after two failed attempts, as the dispatcher leaves them."""
    now = utcnow()
    rows = WebhookRows(new_id("whe"), new_id("evt"), new_id("whd"))
    async with runtime.sessionmaker() as session, session.begin():
        session.add(
            WebhookEndpoint(
                id=rows.endpoint_id,
                workspace_id=workspace_id,
                url=url,
                events=["*"],
                secret_enc="v1.unused",
                consecutive_failures=2,
                created_at=now,
                updated_at=now,
            )
        )
        session.add(Event(id=rows.event_id, workspace_id=workspace_id, type="webhook.test", version=1, data={"n": 1}))
        await session.flush()
        session.add(
            WebhookDelivery(
                id=rows.delivery_id,
                workspace_id=workspace_id,
                endpoint_id=rows.endpoint_id,
                event_id=rows.event_id,
                status="pending",
                attempts=2,
                next_attempt_at=now + timedelta(minutes=5),
                last_status_code=503,
                last_error=None,
                created_at=now,
                updated_at=now,
            )
        )
        await session.flush()
        for number, (code, error) in enumerate([(None, "connection refused"), (503, None)], start=1):
            session.add(
                WebhookAttempt(
                    id=new_id("wha"),
                    delivery_id=rows.delivery_id,
                    number=number,
                    attempted_at=now,
                    succeeded=False,
                    status_code=code,
                    error=error,
                    response_body="busy" if code else None,
                    duration_ms=12,
                )
            )
    return rows
