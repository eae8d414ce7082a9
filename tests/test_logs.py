"""The access log keeps paths, not query strings (Tesla's callback carries the code and the state there); fleetgate's
records carry the id of the request they were written in, as text or as JSON."""

from __future__ import annotations

import json
import logging
import logging.config

from fleetgate.infra.logs import (
    REQUEST_ID,
    REQUEST_LOGGER,
    DropQueryString,
    JsonFormatter,
    TextFormatter,
    WithRequestId,
    uvicorn_log_config,
)


def test_query_string_is_dropped_from_access_records() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/connect/callback?code=NA_secret&state=s3cret", "1.1", 303),
        None,
    )
    assert DropQueryString().filter(record)
    message = record.getMessage()
    assert "/connect/callback" in message
    assert "secret" not in message


def test_the_filter_is_on_uvicorns_access_handler() -> None:
    config = uvicorn_log_config()
    assert config["handlers"]["access"]["filters"] == ["drop_query_string"]
    logging.config.dictConfig(config)
    # The handler holds this test's captured stderr: later tests' records must not be written to it once closed.
    fleetgate = logging.getLogger("fleetgate")
    (handler,) = fleetgate.handlers
    assert [type(given) for given in handler.filters] == [WithRequestId]
    fleetgate.removeHandler(handler)


def request_record(message: str = "GET %s 200 %d ms", *args: object, **fields: object) -> logging.LogRecord:
    record = logging.LogRecord(REQUEST_LOGGER, logging.INFO, __file__, 1, message, args or ("/v1/customers", 3), None)
    record.__dict__.update(fields)
    return record


def test_a_record_written_during_a_request_names_it() -> None:
    formatter = TextFormatter("%(levelprefix)s %(message)s", use_colors=False)
    bound = REQUEST_ID.set("req_0123456789abcdef")
    try:
        during = request_record()
        assert WithRequestId().filter(during)
    finally:
        REQUEST_ID.reset(bound)
    outside = request_record("webhook endpoint %s disabled", "whe_1")
    assert WithRequestId().filter(outside)

    assert formatter.format(during) == "INFO:     GET /v1/customers 200 3 ms [req_0123456789abcdef]"
    assert formatter.format(outside) == "INFO:     webhook endpoint whe_1 disabled"


def test_json_lines_keep_the_requests_fields() -> None:
    record = request_record(method="GET", route="/v1/customers", status=200, duration_ms=3, request_id="req_1")
    line = json.loads(JsonFormatter().format(record))

    assert line.pop("time")
    assert line == {
        "level": "info",
        "logger": REQUEST_LOGGER,
        "message": "GET /v1/customers 200 3 ms",
        "request_id": "req_1",
        "method": "GET",
        "route": "/v1/customers",
        "status": 200,
        "duration_ms": 3,
    }


def test_the_json_format_applies_to_every_handler() -> None:
    config = uvicorn_log_config("json")
    assert {formatter["()"] for formatter in config["formatters"].values()} == {JsonFormatter}
    assert all("request_id" in handler["filters"] for handler in config["handlers"].values())
    assert config["handlers"]["access"]["filters"][0] == "drop_query_string"
