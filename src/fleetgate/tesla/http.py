"""Turning Fleet API responses into data or into the typed errors of `errors.py`."""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping
from typing import Any

import httpx

from fleetgate.tesla.errors import (
    CommandRefused,
    LoginRequired,
    MissingScopes,
    MobileAccessDisabled,
    NotRegisteredInRegion,
    PaymentRequired,
    ProtocolRequired,
    ProtocolUnsupported,
    RateLimited,
    TeslaError,
    TokenExpired,
    UpstreamError,
    VehicleUnavailable,
    WrongRegion,
)

BASE_URL_IN_ERROR = re.compile(r"use base URL:\s*(https?://[^\s,]+)")
ALT_SVC_URL = re.compile(r'h2="?(https?://[^"\s,;]+|[-a-z0-9.]+(?::\d+)?)"?', re.IGNORECASE)
MISSING_SCOPES_TEXT = "missing scopes"
PROTOCOL_REQUIRED_TEXT = "Vehicle Command Protocol required"
# "Account … must be registered in the current region …"; other 412s (a domain that does not match the app's
# allowed origins, on register) are not about the region.
NOT_REGISTERED = re.compile(r"must be registered|unregistered account", re.IGNORECASE)
# Scope names are lowercase words joined by underscores (`vehicle_cmds`), plus OpenID's own `openid`.
SCOPE_NAME = re.compile(r"^(?:openid|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)$")
DEFAULT_RETRY_AFTER = 60.0


def parse_retry_after(headers: Mapping[str, str]) -> float:
    """Seconds from `Retry-After` (seconds or an HTTP date), else `RateLimit-Reset`, else a minute."""
    for name in ("retry-after", "ratelimit-reset"):
        value = headers.get(name)
        if not value:
            continue
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        if name == "retry-after":
            try:
                moment = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                continue
            return max(0.0, moment.timestamp() - time.time())
    return DEFAULT_RETRY_AFTER


def body_of(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def redirect_target(response: httpx.Response) -> str | None:
    """Where a 421 says the user lives: `use base URL: …` in the error, or an `Alt-Svc` header."""
    body = body_of(response)
    text = " ".join(str(body.get(k, "")) for k in ("error", "error_description")) if isinstance(body, dict) else ""
    match = BASE_URL_IN_ERROR.search(text or (body if isinstance(body, str) else ""))
    if match:
        return match.group(1).rstrip("/")
    alt = ALT_SVC_URL.search(response.headers.get("alt-svc", ""))
    if alt:
        target = alt.group(1)
        return target if target.startswith("http") else f"https://{target}"
    return None


def missing_scope_names(error: str, description: str) -> tuple[str, ...]:
    """Tesla names the scopes after "missing scopes" in `error`, or in `error_description`; both are read."""
    _, _, after = error.lower().partition(MISSING_SCOPES_TEXT)
    words = re.split(r"[\s,;:]+", f"{after} {description}")
    return tuple(dict.fromkeys(word for word in words if SCOPE_NAME.match(word)))


def refusal_reason(response: Any) -> str | None:
    """The reason of a refused command's answer, `{"result": false, "reason": …}`; None for anything else."""
    if isinstance(response, dict) and response.get("result") is False:
        return str(response.get("reason") or "the vehicle refused the command")
    return None


def error_for(response: httpx.Response, *, signed_command: bool = False) -> TeslaError:
    """`signed_command` changes two meanings: 422 is "no protocol here" and 503 is an unreachable car."""
    status = response.status_code
    body = body_of(response)
    error = str(body.get("error") or "") if isinstance(body, dict) else ""
    description = str(body.get("error_description") or "") if isinstance(body, dict) else ""
    text = error or (body if isinstance(body, str) else "") or f"HTTP {status}"
    if status == 401:
        if error == "mobile_access_disabled":
            return MobileAccessDisabled(description or error, status=status, body=body)
        if error == "login_required":
            return LoginRequired(text, error=error, status=status, body=body)
        # A bare 401 is Tesla's "expired"; other bodies (`invalid bearer token`, `token expired (401)`) are
        # settled by one refresh: a revoked grant makes the refresh itself answer login_required.
        return TokenExpired(
            text if body else "the access token has expired", error=error or None, status=status, body=body
        )
    if status == 402:
        return PaymentRequired(text, status=status, body=body)
    if status == 403 and MISSING_SCOPES_TEXT in text.lower():
        return MissingScopes(text, missing_scope_names(error, description), body=body)
    if status == 403 and PROTOCOL_REQUIRED_TEXT in text:
        return ProtocolRequired(text, status=status, body=body)
    if status == 408:
        return VehicleUnavailable(text, status=status, body=body)
    if status == 412 and NOT_REGISTERED.search(text):
        return NotRegisteredInRegion(text, status=status, body=body)
    if status == 421:
        return WrongRegion(text, redirect_target(response), body=body)
    if status == 422 and signed_command:
        return ProtocolUnsupported(text, status=status, body=body)
    if status == 503 and signed_command:
        return VehicleUnavailable(text, status=status, body=body)
    if status == 429:
        return RateLimited(text, parse_retry_after(response.headers), body=body)
    # Tesla answers a parameter it cannot use with a 400 in the shape of a refusal.
    refusal = refusal_reason(body.get("response")) if status == 400 and isinstance(body, dict) else None
    if refusal is not None:
        return CommandRefused(refusal, status=status, body=body)
    # Tesla's description says what was wrong (an energy setting's field at fault, ...).
    return UpstreamError.answered(f"{text}: {description}" if error and description else text, status, body)
