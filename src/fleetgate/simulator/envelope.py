"""Tesla's response envelope and the exact error strings clients match on."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi.responses import JSONResponse, Response

VEHICLE_UNAVAILABLE = "vehicle unavailable: vehicle is offline or asleep"
MISSING_SCOPES = "Unauthorized missing scopes"
PROTOCOL_REQUIRED = (
    "Tesla Vehicle Command Protocol required, please refer to the documentation here: "
    "https://developer.tesla.com/docs/fleet-api#2023-10-09-rest-api-vehicle-commands-endpoint-deprecation-warning"
)
PROTOCOL_NOT_SUPPORTED = "vehicle does not support signed commands"
REGIONAL_DOCS = "https://developer.tesla.com/docs/fleet-api#regional-requirements"


def txid() -> str:
    return secrets.token_hex(16)


def ok(response: Any, status: int = 200, **extra: Any) -> JSONResponse:
    return JSONResponse({"response": response, **extra}, status_code=status)


def error(
    status: int,
    error: str,
    description: str = "",
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"response": None, "error": error, "error_description": description, "txid": txid(), **extra}
    return JSONResponse(body, status_code=status, headers=headers)


def empty(status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, headers=headers)


class TeslaHTTPError(Exception):
    """Raised anywhere below a route; the app renders it as Tesla would."""

    def __init__(
        self,
        status: int,
        error: str = "",
        description: str = "",
        *,
        headers: dict[str, str] | None = None,
        body: bool = True,
        **extra: Any,
    ) -> None:
        super().__init__(f"{status} {error}")
        self.status = status
        self.error = error
        self.description = description
        self.headers = headers
        self.body = body
        self.extra = extra

    def render(self) -> Response:
        if not self.body:
            return empty(self.status, self.headers)
        return error(self.status, self.error, self.description, headers=self.headers, **self.extra)


def missing_scopes(*scopes: str) -> TeslaHTTPError:
    return TeslaHTTPError(403, MISSING_SCOPES, " ".join(scopes))


def vehicle_unavailable() -> TeslaHTTPError:
    return TeslaHTTPError(408, VEHICLE_UNAVAILABLE)


def not_found(what: str = "") -> TeslaHTTPError:
    return TeslaHTTPError(404, "not_found", what)
