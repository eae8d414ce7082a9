"""Errors of the auth host, in OAuth's shape rather than the Fleet API's envelope."""

from __future__ import annotations

import uuid

from fastapi.responses import JSONResponse

# Token answers must never be cached (RFC 6749 section 5.1); errors share the rule.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class OAuthError(Exception):
    def __init__(self, status: int, error: str, description: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description
        self.headers = headers or {}

    def render(self) -> JSONResponse:
        body = {"error": self.error, "error_description": self.description, "referenceID": str(uuid.uuid4())}
        return JSONResponse(body, status_code=self.status, headers={**NO_STORE, **self.headers})


def login_required(description: str) -> OAuthError:
    return OAuthError(401, "login_required", description)


def unauthorized_client() -> OAuthError:
    # Tesla documents 400 here (conventions and FAQ), not the 401 of RFC 6749 5.2.
    return OAuthError(400, "unauthorized_client", "The client_id and client_secret combination is not recognized.")


def invalid_request(description: str) -> OAuthError:
    return OAuthError(400, "invalid_request", description)
