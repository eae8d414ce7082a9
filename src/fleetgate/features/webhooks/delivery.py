"""One attempt of one delivery: send it, write down what happened, decide what comes next.

An attempt POSTs the event (`{"id", "type", "version", "created_at", "data"}`) as JSON with the Standard Webhooks
headers, with a fixed timeout and without following redirects. A 2xx answer is a success; anything else (another
status, a redirect, a timeout, a refused connection, a target that now resolves to a private address) is a
failure. Every attempt is kept: its status code or error, the first KB of the answer, how long it took.

Retries follow `webhook_retry_schedule_seconds`. By default, after the first attempt fails:

    5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h

that is eight attempts over about 28 hours, after which the delivery is `failed`. Whatever happened, every event
stays in `GET /v1/events`, where an application catches up with what its endpoint missed.

Failed attempts in a row are counted on the endpoint (a success resets the count). Once
`webhook_disable_after_failures` attempts in a row have failed (15 by default) over at least
`webhook_disable_after_seconds` (24 hours by default), the endpoint is disabled, with the reason; its pending
deliveries fail, and new events are not queued for it until `POST /v1/webhook-endpoints/{id}/enable`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.config import Settings
from fleetgate.features.webhooks.signing import signed_headers
from fleetgate.features.webhooks.targets import IPAddress, TargetError, check_target
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from fleetgate.infra.security.ids import new_id

log = logging.getLogger("fleetgate.webhooks")

RESPONSE_BODY_LIMIT = 1024
ERROR_LENGTH = 500
PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"
ENDPOINT_DISABLED = "The endpoint was disabled before this delivery succeeded."


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery this dispatcher holds, with what sending it needs (read when it was claimed)."""

    delivery_id: str
    claim_token: str
    endpoint_id: str
    url: str
    secret: str
    event_id: str
    body: str
    attempts: int


@dataclass(frozen=True, slots=True)
class AttemptResult:
    succeeded: bool
    status_code: int | None
    error: str | None
    response_body: str | None
    duration_ms: int


def next_delay(schedule: list[float], attempts_made: int) -> float | None:
    """The wait after the `attempts_made`-th attempt failed; None once the schedule is used up."""
    if attempts_made - 1 < len(schedule):
        return schedule[attempts_made - 1]
    return None


def short(text: str, limit: int = ERROR_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def attempt(client: httpx.AsyncClient, settings: Settings, claimed: Claimed) -> AttemptResult:
    started = time.monotonic()

    def result(status: int | None, error: str | None, body: str | None = None) -> AttemptResult:
        ok = status is not None and 200 <= status < 300
        duration = round((time.monotonic() - started) * 1000)
        return AttemptResult(ok, status, None if error is None else short(error), body, duration)

    if not claimed.secret:
        return result(None, "The endpoint's secret does not decrypt (the encryption key changed): recreate it.")
    try:
        async with asyncio.timeout(settings.webhook_timeout_seconds):
            checked = await check_target(claimed.url, settings)
    except TargetError as exc:
        return result(None, f"Refused target: {exc.reason}")
    except TimeoutError:
        return result(None, f"The endpoint's host did not resolve within {settings.webhook_timeout_seconds:g} s.")
    headers = signed_headers(claimed.secret, claimed.event_id, claimed.body, utcnow().replace(microsecond=0))
    headers["Content-Type"] = "application/json"
    url, extensions = pinned(claimed.url, checked, headers)
    try:
        async with client.stream(
            "POST", url, content=claimed.body.encode(), headers=headers, extensions=extensions
        ) as response:
            body = await read_start(response)
    except httpx.TimeoutException:
        return result(None, f"No answer within {settings.webhook_timeout_seconds:g} s.")
    except httpx.HTTPError as exc:
        return result(None, f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    error = None
    if response.is_redirect:
        error = "Redirects are not followed: point the endpoint at the final URL."
    elif not response.is_success:
        error = f"The endpoint answered HTTP {response.status_code}."
    return result(response.status_code, error, body)


def pinned(url: str, checked: list[IPAddress], headers: dict[str, str]) -> tuple[httpx.URL, dict[str, Any]]:
    """The URL with its host replaced by the first address checked, so that no second resolution (which could
    answer a private address: DNS rebinding) comes between the check and the connection. The endpoint still sees
    its own name: in `Host`, and over https in TLS's SNI, against which its certificate is verified."""
    original = httpx.URL(url)
    if not checked:
        return original, {}
    headers["Host"] = original.netloc.decode("ascii")
    extensions = {"sni_hostname": original.host} if original.scheme == "https" else {}
    return original.copy_with(host=str(checked[0])), extensions


async def read_start(response: httpx.Response) -> str:
    """At most `RESPONSE_BODY_LIMIT` bytes of the answer, without reading the rest."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= RESPONSE_BODY_LIMIT:
            break
    return b"".join(chunks)[:RESPONSE_BODY_LIMIT].decode("utf-8", errors="replace")


async def record_outcome(
    session: AsyncSession, settings: Settings, claimed: Claimed, outcome: AttemptResult, now: datetime
) -> str | None:
    """Writes the attempt and the delivery's next step; the new status, or None if the claim was lost (the lease
    ran out and another dispatcher took the delivery over, or the endpoint was deleted)."""
    # The first statement writes: on SQLite it takes the write lock at once (see `connections.row_lock`).
    released = await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == claimed.delivery_id, WebhookDelivery.claim_token == claimed.claim_token)
        .values(claim_token=None, lease_expires_at=None)
        .returning(WebhookDelivery.id)
    )
    if released.first() is None:
        log.warning("webhook delivery %s: claim lost before its attempt was recorded", claimed.delivery_id)
        return None
    number = claimed.attempts + 1
    session.add(
        WebhookAttempt(
            id=new_id("wha"),
            delivery_id=claimed.delivery_id,
            number=number,
            attempted_at=now,
            succeeded=outcome.succeeded,
            status_code=outcome.status_code,
            error=outcome.error,
            response_body=outcome.response_body,
            duration_ms=outcome.duration_ms,
        )
    )
    enabled = await count_on_endpoint(session, settings, claimed.endpoint_id, outcome, now)
    values: dict[str, object] = {
        "attempts": number,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
    }
    delay = next_delay(settings.webhook_retry_schedule_seconds, number)
    if outcome.succeeded:
        values.update(status=SUCCEEDED, completed_at=now)
    elif not enabled or delay is None:
        values.update(status=FAILED, completed_at=now)
    else:
        values.update(next_attempt_at=now + timedelta(seconds=delay))
    await session.execute(update(WebhookDelivery).where(WebhookDelivery.id == claimed.delivery_id).values(**values))
    status = str(values.get("status", PENDING))
    log.info(
        "webhook delivery %s (event %s, endpoint %s), attempt %d: %s",
        claimed.delivery_id,
        claimed.event_id,
        claimed.endpoint_id,
        number,
        outcome.status_code if outcome.succeeded else outcome.error,
    )
    return status


async def count_on_endpoint(
    session: AsyncSession, settings: Settings, endpoint_id: str, outcome: AttemptResult, now: datetime
) -> bool:
    """Resets or extends the endpoint's run of failures, disabling it past the threshold; whether it is enabled."""
    if outcome.succeeded:
        await session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.consecutive_failures != 0)
            .values(consecutive_failures=0, failing_since=None)
        )
        return True
    counted = await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(consecutive_failures=WebhookEndpoint.consecutive_failures + 1)
        .returning(WebhookEndpoint.consecutive_failures, WebhookEndpoint.failing_since, WebhookEndpoint.enabled)
    )
    row = counted.first()
    if row is None:
        return False
    failures, since, enabled = row
    if since is None:
        since = now
        await session.execute(
            update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id).values(failing_since=now)
        )
    if not enabled:
        return False
    failing_for = (now - since).total_seconds()
    if failures < settings.webhook_disable_after_failures or failing_for < settings.webhook_disable_after_seconds:
        return True
    reason = short(
        f"Disabled after {failures} failed attempts in a row since {since.isoformat()}; last: {outcome.error}"
    )
    await disable_endpoint(session, endpoint_id, reason, now)
    log.warning("webhook endpoint %s disabled after %d failed attempts in a row", endpoint_id, failures)
    return False


async def disable_endpoint(session: AsyncSession, endpoint_id: str, reason: str, now: datetime) -> None:
    """Its pending deliveries fail too, except those in flight, which end with their attempt."""
    await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(enabled=False, disabled_at=now, disabled_reason=reason)
    )
    await session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.status == PENDING,
            WebhookDelivery.claim_token.is_(None),
        )
        .values(status=FAILED, last_error=ENDPOINT_DISABLED, completed_at=now)
    )
