"""Logging for the servers: uvicorn's access log without query strings, fleetgate's own records with the id of the
request they were written in, as text or as one JSON object a line.

Tesla's callback carries the authorization code and the OAuth state in its query; an access log must not keep them.
"""

from __future__ import annotations

import copy
import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from uvicorn.config import LOGGING_CONFIG
from uvicorn.logging import DefaultFormatter

from fleetgate.config import LogFormat

# Set by the app's RequestIdMiddleware for the time of each request.
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
REQUEST_LOGGER = "fleetgate.requests"
# What a record may carry beyond its message (`extra=`), kept as fields in JSON.
FIELDS = ("request_id", "method", "route", "status", "duration_ms")


class DropQueryString(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn's access record args: (client_addr, method, full_path, http_version, status_code)
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            client, method, path, version, status = args
            if isinstance(path, str):
                record.args = (client, method, path.split("?", 1)[0], version, status)
        return True


class WithRequestId(logging.Filter):
    """Names the request a record was written in (`record.request_id`; None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


class TextFormatter(DefaultFormatter):
    """uvicorn's `INFO:     message`, with `[req_…]` after the message of a record written during a request."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        request_id = getattr(record, "request_id", None)
        return f"{line} [{request_id}]" if request_id else line


class JsonFormatter(logging.Formatter):
    """One JSON object a line, for log collectors: time, level, logger, message and the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry |= {name: value for name in FIELDS if (value := getattr(record, name, None)) is not None}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def uvicorn_log_config(log_format: LogFormat = "text") -> dict[str, Any]:
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["drop_query_string"] = {"()": DropQueryString}
    config["filters"]["request_id"] = {"()": WithRequestId}
    config["handlers"]["access"]["filters"] = ["drop_query_string"]
    config["formatters"]["fleetgate"] = {"()": TextFormatter, "fmt": "%(levelprefix)s %(message)s"}
    config["handlers"]["fleetgate"] = {
        "formatter": "fleetgate",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "filters": ["request_id"],
    }
    # fleetgate's loggers keep the root's level (warnings); the request log, when on, writes at INFO.
    config["loggers"]["fleetgate"] = {"handlers": ["fleetgate"]}
    config["loggers"][REQUEST_LOGGER] = {"level": "INFO"}
    if log_format == "json":
        for name in config["formatters"]:
            config["formatters"][name] = {"()": JsonFormatter}
        for handler in config["handlers"].values():
            handler.setdefault("filters", []).append("request_id")
    return config
