"""With FLEETGATE_REQUEST_LOG on, each request is one line: method, route template, status, time taken and the
request id it was answered with; never its query string or its headers, where secrets travel."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import httpx
import pytest

from fleetgate.config import Settings
from fleetgate.infra.logs import REQUEST_LOGGER, TextFormatter, WithRequestId
from tests.gateway.conftest import Tenant

SECRET = "sk_live_4f1b9c2e7d0a5f3e8b6c1d9a"


@pytest.fixture
def gateway_settings(gateway_settings: Settings) -> Settings:
    return gateway_settings.model_copy(update={"request_log": True})


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """What the request log writes, through the filter and formatter the servers' log configuration gives it."""
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.addFilter(WithRequestId())
    handler.setFormatter(TextFormatter("%(levelprefix)s %(message)s", use_colors=False))
    logger = logging.getLogger(REQUEST_LOGGER)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield written
    logger.removeHandler(handler)
    logger.setLevel(level)


def line_of(logged: io.StringIO, answer: httpx.Response) -> str:
    request_id = answer.headers["x-request-id"]
    lines = [line for line in logged.getvalue().splitlines() if request_id in line]
    assert len(lines) == 1, logged.getvalue()
    return lines[0]


async def test_a_request_is_one_line_with_its_route_status_and_request_id(tenant: Tenant, logged: io.StringIO) -> None:
    listed = await tenant.client.get("/v1/customers", params={"limit": 5, "api_key": SECRET})
    missing = await tenant.client.get("/v1/connections/conn_0123456789abcdef")

    assert listed.status_code == 200, listed.text
    assert re.fullmatch(
        rf"INFO: +GET /v1/customers 200 \d+ ms \[{listed.headers['x-request-id']}\]", line_of(logged, listed)
    )
    # The route's template, not the path with the id in it.
    assert re.fullmatch(
        r"INFO: +GET /v1/connections/\{connection_id\} 404 \d+ ms \[req_\w+\]", line_of(logged, missing)
    )
    written = logged.getvalue()
    for never in (SECRET, "api_key", "limit", tenant.api_key, "Bearer", "conn_0123456789abcdef"):
        assert never not in written


async def test_a_request_id_sent_by_the_client_is_the_one_logged(tenant: Tenant, logged: io.StringIO) -> None:
    answer = await tenant.client.get("/v1/customers", headers={"X-Request-ID": "checkout-42"})

    assert answer.headers["x-request-id"] == "checkout-42"
    assert line_of(logged, answer).endswith(" [checkout-42]")


@pytest.mark.parametrize("sent", ["a b", "x" * 101, "id]\rINFO: forged", "id\u00e9", ""])
async def test_a_request_id_that_could_forge_a_log_line_is_replaced(
    tenant: Tenant, logged: io.StringIO, sent: str
) -> None:
    answer = await tenant.client.get("/v1/customers", headers={"X-Request-ID": sent.encode("latin-1", "replace")})

    assert re.fullmatch(r"req_[0-9a-f]{16}", answer.headers["x-request-id"])
    assert "forged" not in logged.getvalue()


async def test_a_record_has_the_fields_a_json_log_keeps(tenant: Tenant, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=REQUEST_LOGGER):
        answer = await tenant.client.post("/v1/customers", json={"reference_id": "user-1"})

    (record,) = [record for record in caplog.records if record.name == REQUEST_LOGGER]
    fields = {name: getattr(record, name) for name in ("method", "route", "status")}
    assert fields == {"method": "POST", "route": "/v1/customers", "status": answer.status_code}
    assert isinstance(getattr(record, "duration_ms"), int)  # noqa: B009
