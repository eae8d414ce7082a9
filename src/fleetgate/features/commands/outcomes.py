"""What an attempt's answer means for the command: the policy, in one place.

Tesla's answer                         the command                 why
-------------------------------------  --------------------------  ------------------------------------------
result true                            succeeded                   reason: Tesla's, if it gave one
refused, benign (`already_set`…)       succeeded                   the car is where the command would take it
refused                                failed  command_refused      reason: the car's words
key not paired                         failed  virtual_key_not_paired  remedy: the pairing link
asleep, `wake` false                   failed  vehicle_asleep       not woken: the caller said so
asleep after a wake, in time           failed  wake_timeout         one billed wake per attempt, no more
rate limited (Tesla's or our budget)   queued again after it        Tesla did not run it
not sent (Tesla unreachable)           queued again, bounded        nothing reached Tesla
5xx                                    idempotent: queued again;    Tesla answered; sending an idempotent
                                       else failed upstream_error   command again is harmless
sent, answer lost (timeout, bad reply) idempotent: queued again;    the car may have run it: a horn is not
                                       else failed outcome_unknown  honked twice
connection needs reconnect, scope      failed with the connection's the user must act
missing, mobile access off             error and remedy
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from fleetgate.features.access.scopes import ACCESS_BY_SCOPE
from fleetgate.features.commands.catalog import BENIGN_REFUSALS
from fleetgate.features.commands.status import OUTCOME_UNKNOWN
from fleetgate.infra.errors import APIError
from fleetgate.tesla import errors as tesla

# Retries of failures that did not reach the car (or of idempotent commands), after the first attempt.
MAX_ATTEMPTS = 3
RETRY_PAUSES_SECONDS = (2.0, 10.0, 30.0)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Literal["succeeded", "failed", "retry"]
    reason: str | None = None
    error: dict[str, Any] | None = None
    retry_after_seconds: float = 0.0
    # What the attempt learned about the app's key on the car: True after a signed success, False when refused.
    virtual_key_paired: bool | None = None
    notes: dict[str, Any] = field(default_factory=dict)


def error(code: str, message: str, remedy: dict[str, Any] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"code": code, "message": message}
    if remedy:
        found["remedy"] = remedy
    return found


def succeeded(reason: str | None, *, signed: bool = False) -> Outcome:
    return Outcome("succeeded", reason or None, virtual_key_paired=True if signed else None)


def failed(code: str, reason: str, message: str, remedy: dict[str, Any] | None = None) -> Outcome:
    return Outcome("failed", reason, error(code, message, remedy))


def from_api_error(exc: APIError) -> Outcome:
    return Outcome("failed", exc.message, error(exc.code, exc.message, exc.remedy))


def retry_pause(attempts: int) -> float:
    return RETRY_PAUSES_SECONDS[min(max(attempts - 1, 0), len(RETRY_PAUSES_SECONDS) - 1)]


def from_tesla_error(
    exc: tesla.TeslaError,
    *,
    idempotent: bool,
    attempts: int,
    pairing_url: str | None,
    remedies: dict[str, str],
) -> Outcome:
    """`attempts` counts this one."""
    if isinstance(exc, tesla.CommandRefused):
        if exc.reason in BENIGN_REFUSALS:
            return succeeded(exc.reason)
        return failed("command_refused", exc.reason, f"The vehicle refused the command: {exc.reason}")
    if isinstance(exc, tesla.KeyNotPaired):
        return Outcome(
            "failed",
            exc.reason,
            error(
                "virtual_key_not_paired",
                "The vehicle does not know the application's key: the owner must pair it (open the pairing link "
                "on the phone with the Tesla app, then approve).",
                {"action": "pair_virtual_key", "pairing_url": pairing_url} if pairing_url else None,
            ),
            virtual_key_paired=False,
        )
    if isinstance(exc, tesla.RateLimited):
        return Outcome("retry", exc.reason, retry_after_seconds=max(exc.retry_after, 1.0))
    if isinstance(exc, tesla.LoginRequired):
        return failed(
            "needs_reconnect",
            exc.reason,
            "Tesla no longer accepts this connection's tokens: the user must connect again.",
            remedies,
        )
    if isinstance(exc, tesla.MissingScopes):
        missing = [ACCESS_BY_SCOPE[scope].name for scope in exc.scopes if scope in ACCESS_BY_SCOPE]
        return failed(
            "insufficient_scope",
            exc.reason,
            "Tesla refused the command for missing scopes.",
            {"missing_access": missing, **remedies},
        )
    if isinstance(exc, tesla.MobileAccessDisabled):
        return failed(
            "mobile_access_disabled",
            exc.reason,
            "The owner has turned off mobile access in the car.",
            {"action": "enable_mobile_access", "note": "In the car: Controls > Safety > Allow Mobile Access."},
        )
    if isinstance(exc, tesla.ProtocolRequired):
        return failed(
            "signing_required",
            exc.reason,
            "The car takes only signed commands, and fleetgate has no private key to sign them.",
            {"action": "configure_private_key", "command": "fleetgate keys generate"},
        )
    if isinstance(exc, tesla.UpstreamError):
        return _upstream(exc, idempotent=idempotent, attempts=attempts)
    return failed("upstream_error", exc.reason, f"Tesla: {exc.reason}")


def _upstream(exc: tesla.UpstreamError, *, idempotent: bool, attempts: int) -> Outcome:
    may_retry = attempts < MAX_ATTEMPTS
    not_sent = exc.retryable and exc.status is None
    if not_sent and may_retry:
        return Outcome("retry", exc.reason, retry_after_seconds=retry_pause(attempts))
    answered = exc.status is not None
    if idempotent and may_retry and (exc.retryable or not answered):
        return Outcome("retry", exc.reason, retry_after_seconds=retry_pause(attempts))
    if answered or not_sent:
        return failed("upstream_error", exc.reason, f"Tesla: {exc.reason}")
    return unknown(f"The request may have reached the car, and its answer was lost ({exc.reason}).")


def unknown(message: str) -> Outcome:
    return failed(
        OUTCOME_UNKNOWN,
        OUTCOME_UNKNOWN,
        f"{message} The command was not sent again, as doing it twice is not the same as doing it once.",
        {"action": "check_device_state", "note": "Read the device's state to see whether it took effect."},
    )
