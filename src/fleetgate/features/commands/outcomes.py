"""What an attempt's end means for the command: its status and, when it failed, whether to try again.

The error a failed command carries (code, message, remedy) is the API's error for what went wrong, decided once in
`connections.tesla_errors` (Tesla's errors) and `devices.errors` (refusals before sending); its `reason` keeps
Tesla's words. Here only the retry decision, from how the error is marked (`tesla.errors`):

Tesla's answer                           the command
---------------------------------------  ------------------------------------------------------------------
result true                              succeeded; reason: Tesla's, if it gave one
refused, benign (`already_set`…)         succeeded: the car is where the command would take it
rate limited (Tesla's or our budget)     queued again once the limit allows it: Tesla did not run it
temporary, and it did not reach the car  queued again, a bounded number of times: nothing ran
temporary, and it may have               idempotent: queued again (bounded); otherwise failed `outcome_unknown`:
reached the car (a timeout, a 500)       the car may have run it, and a horn is not honked twice. Once an attempt
                                         may have reached the car, a command that later fails ends
                                         `outcome_unknown` too (`lifecycle.settle`)
any other error                          failed, with the error; a wake-up that did not wake the car included
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

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
    # This attempt may have reached the car (a retry of an idempotent command whose answer was lost): whatever the
    # later attempts give, the command may have run.
    may_have_run: bool = False
    notes: dict[str, Any] = field(default_factory=dict)


def error_body(code: str, message: str, remedy: dict[str, Any] | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"code": code, "message": message}
    if remedy:
        found["remedy"] = remedy
    return found


def succeeded(reason: str | None, *, signed: bool = False) -> Outcome:
    return Outcome("succeeded", reason or None, virtual_key_paired=True if signed else None)


def failed(error: APIError, reason: str | None = None) -> Outcome:
    """Failed with the API's error; `reason` is Tesla's words when Tesla gave some, else the error's message."""
    return Outcome("failed", reason or error.message, error_body(error.code, error.message, error.remedy))


def retry_pause(attempts: int) -> float:
    return RETRY_PAUSES_SECONDS[min(max(attempts - 1, 0), len(RETRY_PAUSES_SECONDS) - 1)]


def after_tesla_error(
    exc: tesla.TeslaError, error: APIError, *, idempotent: bool, attempts: int, sent: bool
) -> Outcome:
    """`error` is the API's error for `exc`; `attempts` counts this one; `sent`: the request carrying the command
    left (a handshake before it does not count)."""
    if isinstance(exc, tesla.CommandRefused) and exc.reason in BENIGN_REFUSALS:
        return succeeded(exc.reason)
    if isinstance(exc, tesla.RateLimited):
        return Outcome("retry", exc.reason, retry_after_seconds=max(exc.retry_after, 1.0))
    if isinstance(exc, tesla.KeyNotPaired):
        return replace(failed(error, exc.reason), virtual_key_paired=False)
    reached = sent and exc.may_have_succeeded
    # A car that is asleep was handled by the wake policy already: another attempt would only wake it again.
    retryable = exc.temporary and not isinstance(exc, tesla.VehicleUnavailable)
    if retryable and attempts < MAX_ATTEMPTS and (idempotent or not reached):
        return Outcome("retry", exc.reason, retry_after_seconds=retry_pause(attempts), may_have_run=reached)
    if reached:
        return unknown(f"The request may have reached the car, and its answer was lost or failed ({exc.reason}).")
    return failed(error, exc.reason)


def unknown(message: str, *, why_not_again: bool = True) -> Outcome:
    """`why_not_again`: the message goes on to say why the command was not sent again (leave it out for an
    idempotent command, which was)."""
    if why_not_again:
        message = f"{message} The command was not sent again, as doing it twice is not the same as doing it once."
    return Outcome(
        "failed",
        OUTCOME_UNKNOWN,
        error_body(
            OUTCOME_UNKNOWN,
            message,
            {"action": "check_device_state", "note": "Read the device's state to see whether it took effect."},
        ),
    )
