"""The gateway's own errors: each carries its HTTP status and a machine-readable code; one handler renders them.

Shape, everywhere: `{"error": {"code", "message", "remedy"?, "request_id", ...}}`.
"""

from __future__ import annotations

from typing import Any


class APIError(Exception):
    status: int = 500
    code: str = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        remedy: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy
        self.headers = headers
        self.details = details

    def body(self, request_id: str) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message, **self.details}
        if self.remedy is not None:
            error["remedy"] = self.remedy
        error["request_id"] = request_id
        return {"error": error}


class Unauthenticated(APIError):
    status = 401
    code = "unauthenticated"


class NotFound(APIError):
    status = 404
    code = "not_found"


class ValidationFailed(APIError):
    status = 422
    code = "validation_error"


class InsufficientScope(APIError):
    status = 403
    code = "insufficient_scope"


class Conflict(APIError):
    status = 409
    code = "conflict"


class IdempotencyConflict(APIError):
    status = 409
    code = "idempotency_conflict"


class NeedsReconnect(APIError):
    status = 409
    code = "needs_reconnect"


class VehicleAsleep(APIError):
    status = 409
    code = "vehicle_asleep"


class Gone(APIError):
    status = 410
    code = "gone"


class RateLimited(APIError):
    status = 429
    code = "rate_limited"


class UpstreamFailure(APIError):
    status = 502
    code = "upstream_error"


class ServiceUnavailable(APIError):
    status = 503
    code = "service_unavailable"


class DatabaseUnavailable(ServiceUnavailable):
    code = "database_unavailable"

    def __init__(self) -> None:
        super().__init__(
            "fleetgate's database did not answer (a restart, a dropped connection, a lock held too long); the request "
            "may or may not have taken effect.",
            remedy={
                "action": "retry",
                "note": "Send it again; a command or connect session with the same Idempotency-Key is created once.",
            },
            headers={"Retry-After": "1"},
        )


def unexpected_error() -> APIError:
    return APIError("fleetgate failed while answering; the failure is in its logs under this request id.")
