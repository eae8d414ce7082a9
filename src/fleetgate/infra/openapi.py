"""The OpenAPI document as the API answers: its key as a Bearer security scheme (Swagger UI's Authorize button),
and on every `/v1` operation the errors any request may meet, in the API's one error shape rather than FastAPI's
`{"detail": [...]}`. What a route answers beyond these, it declares itself (`responses=` on the route)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from fleetgate.infra.errors import APIError

ERROR_REF = "#/components/schemas/ErrorBody"


class Problem(BaseModel):
    field: str = Field(description="Where: a body field (dotted), a query parameter or a header")
    problem: str


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str = Field(description="Machine-readable, stable: branch on this")
    message: str = Field(description="For a person: what went wrong and, where it helps, what to do")
    remedy: dict[str, Any] | None = Field(None, description="What fixes it: links, the access to ask for, a header")
    details: list[Problem] | None = Field(None, description="validation_error: each field and its problem")
    request_id: str = Field(description="Also in the X-Request-ID header and the gateway's logs")


class ErrorBody(BaseModel):
    error: ErrorDetail


def _error(description: str, code: str, message: str, **extra: Any) -> dict[str, Any]:
    example = {"error": {"code": code, "message": message, **extra, "request_id": "req_5f2c1a9e0b7d4c31"}}
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}, "example": example}},
    }


EVERY_REQUEST = {
    "401": _error(
        "No API key, or one that is unknown or revoked",
        "unauthenticated",
        "This API key is not valid (unknown or revoked).",
        remedy={"action": "create_api_key", "command": "fleetgate apikey create --workspace <id>"},
    ),
    "503": _error(
        "fleetgate's database did not answer; send the request again (Retry-After)",
        "database_unavailable",
        "fleetgate's database did not answer (a restart, a dropped connection, a lock held too long); the request "
        "may or may not have taken effect.",
        remedy={"action": "retry"},
    ),
}
WITH_PARAMETERS = {
    "422": _error(
        "A field, query parameter or header that does not fit the schema",
        "validation_error",
        "The request is not valid.",
        details=[{"field": "access.0", "problem": "Input should be 'vehicle_data', 'vehicle_location', …"}],
    ),
}
WITH_A_PATH_ID = {
    "404": _error(
        "No such object in this workspace (another workspace's objects are not found either)",
        "not_found",
        "No device dev_3f9c0b1e2d4a5b6c7d8e9f00.",
    ),
}
WITH_A_CURSOR = {
    "400": _error(
        "A `cursor` that is not one this list gave",
        "invalid_cursor",
        "The cursor is not one this API gave out.",
        field="cursor",
        remedy={"action": "fix_request", "note": "Pass a page's `next_cursor` as it was answered, or no cursor."},
    ),
}
WITH_A_BODY = {
    "400": _error(
        "The body is not valid JSON",
        "invalid_json",
        "The request body is not valid JSON: Expecting value (at character 12).",
        field="body",
    ),
    "413": _error(
        "The body is larger than FLEETGATE_MAX_REQUEST_BYTES",
        "request_too_large",
        "The request body is larger than 1048576 bytes.",
    ),
    "415": _error(
        "The body was not sent as JSON",
        "unsupported_media_type",
        "Send the request body as JSON with `Content-Type: application/json`; this request's Content-Type was missing.",
        remedy={"header": "Content-Type: application/json"},
    ),
}


def documented_errors(*errors: type[APIError], **notes: str) -> dict[int | str, dict[str, Any]]:
    """A route's `responses=` for the errors it may answer beyond the common ones, by status, each with its codes
    (and a note per status, by its number as `s409="…"`, where the codes need one)."""
    codes: dict[int, list[str]] = {}
    for error in errors:
        codes.setdefault(error.status, [])
        if error.code not in codes[error.status]:
            codes[error.status].append(error.code)
    documented: dict[int | str, dict[str, Any]] = {}
    for status, names in sorted(codes.items()):
        described = " or ".join(f"`{name}`" for name in names)
        note = notes.get(f"s{status}")
        documented[status] = {"model": ErrorBody, "description": f"{described}: {note}" if note else described}
    return documented


def replayed(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """A create's `responses=` for its 200: the answer to a repeated `Idempotency-Key`, the first one's again."""
    return {200: {"model": model, "description": "A replay: this Idempotency-Key was used before with the same body"}}


def operation_id(route: APIRoute) -> str:
    """An operation's id is its route's name (`name=` on the route, e.g. `get_device_state`): what generated
    clients call their functions, so it says what the operation does rather than where it is."""
    return route.name


def install(app: FastAPI) -> None:
    """`app.openapi()` builds the document once, with the error shape and the common errors in it; the routes
    included after this are named by `operation_id`."""
    app.router.generate_unique_id_function = operation_id

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
            )
            _with_errors(schema)
            _query_parameters_not_null(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = document  # type: ignore[method-assign]


def _query_parameters_not_null(schema: dict[str, Any]) -> None:
    """A query parameter is given or left out, never null: `X | None` in a route's signature is published as `X`
    (optional), so that generated clients name its type after the parameter (`ListDevicesType`, not a `Type0`)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") != "query":
                    continue
                shape = parameter.get("schema", {})
                kinds = shape.get("anyOf", ())
                others = [kind for kind in kinds if kind != {"type": "null"}]
                if len(kinds) == 2 and len(others) == 1:
                    kept = {key: value for key, value in shape.items() if key != "anyOf"}
                    if kept.get("default", ...) is None:
                        del kept["default"]
                    parameter["schema"] = {**others[0], **kept}


def _with_errors(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_body.pop("$defs"))
    components["ErrorBody"] = error_body
    # FastAPI's own shape for 422, which the API never answers.
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    for path, operations in schema.get("paths", {}).items():
        if not path.startswith("/v1/"):
            continue
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            common = dict(EVERY_REQUEST)
            if operation.get("parameters") or "requestBody" in operation:
                common |= WITH_PARAMETERS
            if "{" in path:
                common |= WITH_A_PATH_ID
            if "requestBody" in operation:
                common |= WITH_A_BODY
            if any(parameter.get("name") == "cursor" for parameter in operation.get("parameters", ())):
                common |= WITH_A_CURSOR
            for status, response in common.items():
                if status not in responses or "HTTPValidationError" in str(responses[status]):
                    responses[status] = response
