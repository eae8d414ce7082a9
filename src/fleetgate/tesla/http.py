"""Turning Fleet API responses into data or into the typed errors of `errors.py`."""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Mapping
from typing import Any

import httpx

from fleetgate.tesla.errors import (
    LoginRequired,
    MissingScopes,
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
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504, 540})
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
            parsed = email.utils.parsedate_to_datetime(value) if name == "retry-after" else None
            if parsed is not None:
                return max(0.0, parsed.timestamp() - time.time())
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


def error_for(response: httpx.Response, *, signed_command: bool = False) -> TeslaError:
    """`signed_command` changes two meanings: 422 is "no protocol here" and 503 is an unreachable car."""
    status = response.status_code
    body = body_of(response)
    error = str(body.get("error") or "") if isinstance(body, dict) else ""
    description = str(body.get("error_description") or "") if isinstance(body, dict) else ""
    text = error or (body if isinstance(body, str) else "") or f"HTTP {status}"
    if status == 401:
        if body is None:
            return TokenExpired("the access token has expired", status=status)
        if error in ("login_required", "mobile_access_disabled"):
            return LoginRequired(text, error=error, status=status, body=body)
        return LoginRequired(f"Tesla refused the access token: {text}", error=error, status=status, body=body)
    if status == 402:
        return PaymentRequired(text, status=status, body=body)
    if status == 403 and MISSING_SCOPES_TEXT in text.lower():
        return MissingScopes(text, tuple(description.split()), body=body)
    if status == 403 and PROTOCOL_REQUIRED_TEXT in text:
        return ProtocolRequired(text, status=status, body=body)
    if status == 408:
        return VehicleUnavailable(text, status=status, body=body)
    if status == 412:
        return NotRegisteredInRegion(text, status=status, body=body)
    if status == 421:
        return WrongRegion(text, redirect_target(response), body=body)
    if status == 422 and signed_command:
        return ProtocolUnsupported(text, status=status, body=body)
    if status == 503 and signed_command:
        return VehicleUnavailable(text, status=status, body=body)
    if status == 429:
        return RateLimited(text, parse_retry_after(response.headers), body=body)
    return UpstreamError(text, status=status, retryable=status in RETRYABLE_STATUSES, body=body)
