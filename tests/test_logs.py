"""The access log keeps paths, not query strings (Tesla's callback carries the code and the state there)."""

from __future__ import annotations

import logging
import logging.config

from fleetgate.infra.logs import DropQueryString, uvicorn_log_config


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
