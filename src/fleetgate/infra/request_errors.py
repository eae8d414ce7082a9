"""What FastAPI's request validation found, as the API's errors: a body that is not JSON, or was not sent as JSON,
gets its own answer rather than a field-by-field list that names a character offset or a dictionary. And a method the
path does not take, answered with every method it does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from starlette.routing import Match, Mount

from fleetgate.infra.errors import APIError, ValidationFailed

JSON_TYPE = "application/json"
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


class InvalidJson(APIError):
    status = 400
    code = "invalid_json"


class UnsupportedMediaType(APIError):
    status = 415
    code = "unsupported_media_type"


class MethodNotAllowed(APIError):
    status = 405
    code = "method_not_allowed"


def method_not_allowed(request: Request) -> MethodNotAllowed | None:
    """The 405 for `request`, its `Allow` naming every method the path takes, or None when no route says (a mount's
    own 405). Starlette's names only those of the first route whose path matched: one of GET or POST on a list."""
    allowed = [method for method in METHODS if _routed(request, method)]
    if not allowed:
        return None
    return MethodNotAllowed(
        f"{request.method} is not allowed on this path; it takes {', '.join(allowed)}.",
        remedy={"allowed_methods": allowed},
        headers={"Allow": ", ".join(allowed)},
    )


def _routed(request: Request, method: str) -> bool:
    probe = {**request.scope, "method": method}
    # A mount matches every method and sorts them out itself.
    routes = (route for route in request.app.router.routes if not isinstance(route, Mount))
    return any(route.matches(probe)[0] == Match.FULL for route in routes)


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
