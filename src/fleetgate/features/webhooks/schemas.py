from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fleetgate.features.events.types import ALL, is_pattern
from fleetgate.features.webhooks.targets import MAX_URL_LENGTH
from fleetgate.infra.pagination import Page

MAX_FILTERS = 50


class WebhookEndpointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(max_length=MAX_URL_LENGTH, description="Where events are POSTed: an http(s) URL")
    events: list[str] = Field(
        default_factory=lambda: [ALL],
        min_length=1,
        max_length=MAX_FILTERS,
        description="Event types to send: names (`device.discovered`), categories (`device.*`) or `*` (all)",
    )

    @field_validator("events")
    @classmethod
    def _known(cls, events: list[str]) -> list[str]:
        unknown = [name for name in events if not is_pattern(name)]
        if unknown:
            raise ValueError(f"unknown event types: {', '.join(unknown)}")
        return list(dict.fromkeys(events))


class WebhookEndpointOut(BaseModel):
    id: str
    url: str
    events: list[str]
    enabled: bool
    disabled_at: datetime | None
    disabled_reason: str | None = Field(description="Why it was disabled (repeated failures); re-enable it with POST")
    consecutive_failures: int = Field(description="Failed attempts in a row; a success resets it")
    created_at: datetime
    updated_at: datetime


class WebhookEndpointCreated(WebhookEndpointOut):
    secret: str = Field(
        description="`whsec_…`: verifies the `webhook-signature` of each delivery (Standard Webhooks). Shown only "
        "in this answer: store it now."
    )


class WebhookEndpointPage(Page[WebhookEndpointOut]):
    """A page of webhook endpoints (a named class, so the OpenAPI schema gets a readable name)."""


class AttemptOut(BaseModel):
    number: int
    at: datetime
    succeeded: bool
    status_code: int | None = Field(description="The endpoint's HTTP status; null when no answer came")
    error: str | None = Field(description="Why the attempt counts as failed")
    response_body: str | None = Field(description="The start of the endpoint's answer (at most 1 KB)")
    duration_ms: int


class DeliveryOut(BaseModel):
    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    status: str = Field(description="`pending` (being sent or retried), `succeeded` or `failed` (for good)")
    attempts: int
    next_attempt_at: datetime | None = Field(description="When the next attempt is due, while pending")
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    completed_at: datetime | None
    attempt_log: list[AttemptOut] = Field(description="Every attempt, oldest first")


class DeliveryPage(Page[DeliveryOut]):
    """A page of deliveries (a named class, so the OpenAPI schema gets a readable name)."""
