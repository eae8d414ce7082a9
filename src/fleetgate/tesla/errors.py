"""The one error hierarchy at the Tesla boundary.

Every failure of a call to Tesla (auth server, Fleet API, or a vehicle answering a signed command) is raised as one
of these; nothing above the client sees an httpx exception or a raw status code.

    TeslaError
    ├── AuthError                     the auth server refused a grant (bad client, code, redirect)
    │   ├── TokenExpired              401 that is not login_required: refresh the access token, send once more
    │   └── LoginRequired             refresh refused (401 login_required), token revoked: the user must reconnect
    ├── MissingScopes                 403 Unauthorized missing scopes (`.scopes`: the ones Tesla named)
    ├── VehicleUnavailable            408 (or 503 from signed_command): asleep or offline
    ├── MobileAccessDisabled          the owner turned off mobile access in the car (401, or fault 21 when signed)
    ├── RateLimited                   429 (`.retry_after` seconds, from `Retry-After` or `RateLimit-Reset`)
    ├── WrongRegion                   421 that could not be followed (`.base_url` is where the user lives)
    ├── NotRegisteredInRegion         412: the app's domain is not registered with Tesla in this region
    ├── ProtocolRequired              403: REST command to a car that only takes signed commands
    ├── ProtocolUnsupported           422 from signed_command: the car does not speak the protocol (use REST)
    ├── KeyNotPaired                  the car does not know our public key (unknown key / not on whitelist)
    ├── CommandRefused                the car answered result=false, or its key role forbids it (`.reason`)
    ├── PaymentRequired               402: billing limit reached or no payment method
    └── UpstreamError                 anything else (`.status`, `.retryable`)

What each means, in one place (`ERROR_POLICY` holds the same table for code):

    error                   retry the same request?          changes the connection's state
    ----------------------  -------------------------------  -------------------------------------------------
    AuthError               no                               none (the app's credentials, code or redirect URI)
    TokenExpired            yes, once, after a refresh       refresh_token (store the rotated refresh token)
    LoginRequired           no                               needs_reconnect (the user consents again)
    MissingScopes           no                               update_scopes (re-read `scp`; ask for the scope)
    VehicleUnavailable      yes, once the car is awake       none (the device's state: asleep/offline)
    MobileAccessDisabled    no                               none (the owner must allow mobile access in the car)
    RateLimited             yes, after `retry_after`         none
    WrongRegion             yes, on `.base_url`              update_region (the client already followed one 421)
    NotRegisteredInRegion   no                               none (the operator registers the app's domain)
    ProtocolRequired        no                               none (send it signed)
    ProtocolUnsupported     no (the commander re-sends REST) none for the connection; the VIN is REST-only
    KeyNotPaired            no                               none for the connection; the device needs pairing
    CommandRefused          no                               none
    PaymentRequired         no                               none (the operator raises the billing limit)
    UpstreamError           only when `.retryable`           none

`UpstreamError.retryable` is true for 5xx answers and for failures before the request left (connection refused);
a timeout or a broken connection after sending is retryable only for idempotent requests, since Tesla may have
acted on the request (a command may have run). Nothing in this package retries a non-idempotent request by itself
except after 421 and 401, which Tesla answers before doing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

KEY_NOT_PAIRED_REASON = "vehicle rejected request: your public key has not been paired with the vehicle"
VEHICLE_UNAVAILABLE_REASON = "vehicle unavailable: vehicle is offline or asleep"

ConnectionEffect = Literal["none", "refresh_token", "needs_reconnect", "update_region", "update_scopes"]


class TeslaError(Exception):
    """Base of every Tesla failure. `reason` is the text to show a user, in Tesla's words where Tesla gave some."""

    status: int | None = None

    def __init__(self, reason: str, *, status: int | None = None, body: object = None) -> None:
        super().__init__(reason)
        self.reason = reason
        if status is not None:
            self.status = status
        self.body = body


class AuthError(TeslaError):
    def __init__(
        self, reason: str, *, error: str | None = None, status: int | None = None, body: object = None
    ) -> None:
        super().__init__(reason, status=status, body=body)
        self.error = error


class TokenExpired(AuthError):
    status = 401


class LoginRequired(AuthError):
    status = 401


class MissingScopes(TeslaError):
    status = 403

    def __init__(self, reason: str, scopes: tuple[str, ...] = (), *, body: object = None) -> None:
        super().__init__(reason, body=body)
        self.scopes = scopes


class VehicleUnavailable(TeslaError):
    status = 408


class MobileAccessDisabled(TeslaError):
    status = 401


class RateLimited(TeslaError):
    status = 429

    def __init__(self, reason: str, retry_after: float, *, body: object = None) -> None:
        super().__init__(reason, body=body)
        self.retry_after = retry_after


class WrongRegion(TeslaError):
    status = 421

    def __init__(self, reason: str, base_url: str | None, *, body: object = None) -> None:
        super().__init__(reason, body=body)
        self.base_url = base_url


class NotRegisteredInRegion(TeslaError):
    status = 412


class ProtocolRequired(TeslaError):
    status = 403


class ProtocolUnsupported(TeslaError):
    status = 422


class KeyNotPaired(TeslaError):
    def __init__(self, reason: str = KEY_NOT_PAIRED_REASON, *, status: int | None = None, body: object = None) -> None:
        super().__init__(reason, status=status, body=body)


class CommandRefused(TeslaError):
    pass


class PaymentRequired(TeslaError):
    status = 402


class UpstreamError(TeslaError):
    def __init__(self, reason: str, *, status: int | None = None, retryable: bool = False, body: object = None) -> None:
        super().__init__(reason, status=status, body=body)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class ErrorPolicy:
    retryable: bool
    connection_effect: ConnectionEffect
    note: str


ERROR_POLICY: dict[type[TeslaError], ErrorPolicy] = {
    TokenExpired: ErrorPolicy(True, "refresh_token", "refresh, then send the same request once more"),
    LoginRequired: ErrorPolicy(False, "needs_reconnect", "the refresh token is dead; the user must consent again"),
    AuthError: ErrorPolicy(False, "none", "the app's credentials, code or redirect URI are wrong"),
    MissingScopes: ErrorPolicy(False, "update_scopes", "the user removed or never granted a scope"),
    VehicleUnavailable: ErrorPolicy(True, "none", "wake the car first, or try when it is online"),
    MobileAccessDisabled: ErrorPolicy(False, "none", "the owner must allow mobile access in the car"),
    RateLimited: ErrorPolicy(True, "none", "retry after `retry_after` seconds"),
    WrongRegion: ErrorPolicy(True, "update_region", "the client follows one 421; a second one ends here"),
    NotRegisteredInRegion: ErrorPolicy(False, "none", "register the app's domain in this region"),
    ProtocolRequired: ErrorPolicy(False, "none", "send it as a signed command"),
    ProtocolUnsupported: ErrorPolicy(False, "none", "send it over REST; remembered per VIN"),
    KeyNotPaired: ErrorPolicy(False, "none", "the owner must pair the app's virtual key"),
    CommandRefused: ErrorPolicy(False, "none", "the car said no; the reason says why"),
    PaymentRequired: ErrorPolicy(False, "none", "raise the billing limit in Tesla's developer dashboard"),
    UpstreamError: ErrorPolicy(False, "none", "retryable only when `.retryable` (5xx, not sent, idempotent)"),
}


def policy_for(error: TeslaError) -> ErrorPolicy:
    for cls in type(error).__mro__:
        policy = ERROR_POLICY.get(cls)
        if policy is not None:
            return policy
    return ERROR_POLICY[UpstreamError]


def is_retryable(error: TeslaError) -> bool:
    if isinstance(error, UpstreamError):
        return error.retryable
    return policy_for(error).retryable
