"""What FastAPI's request validation found, as the API's errors: a body that is not JSON, or was not sent as JSON,
gets its own answer rather than a field-by-field list that names a character offset or a dictionary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request

from fleetgate.infra.errors import APIError, ValidationFailed

JSON_TYPE = "application/json"


class InvalidJson(APIError):
    status = 400
    code = "invalid_json"


class UnsupportedMediaType(APIError):
    status = 415
    code = "unsupported_media_type"


def request_error(request: Request, errors: Sequence[Any]) -> APIError:
    for error in errors:
        location = tuple(error.get("loc", ()))
        if error.get("type") == "json_invalid":
            position = location[1] if len(location) > 1 else None
            reason = (error.get("ctx") or {}).get("error") or error.get("msg", "not JSON")
            where = f" (at character {position})" if isinstance(position, int) else ""
            return InvalidJson(f"The request body is not valid JSON: {reason}{where}.", field="body")
        if location == ("body",) and isinstance(error.get("input"), bytes | str) and not _sent_as_json(request):
            sent = request.headers.get("content-type")
            return UnsupportedMediaType(
                f"Send the request body as JSON with `Content-Type: {JSON_TYPE}`; this request's Content-Type was "
                + (f"`{sent}`." if sent else "missing."),
                remedy={"header": f"Content-Type: {JSON_TYPE}"},
            )
    problems = [{"field": _field(tuple(error["loc"])), "problem": error["msg"]} for error in errors]
    return ValidationFailed("The request is not valid.", details=problems)


def _sent_as_json(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return kind == JSON_TYPE or kind.endswith("+json")


def _field(location: tuple[Any, ...]) -> str:
    # A body field dotted (`params.percent`), a parameter with where it was (`query.limit`), the whole body as `body`.
    return ".".join(str(part) for part in location if part != "body") or "body"
