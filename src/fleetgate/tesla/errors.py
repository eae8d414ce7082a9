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
    └── UpstreamError                 anything else (`.status`)
        └── TelemetryConfigRefused    400 to a telemetry config: Tesla's description says what was wrong

Each error is marked where it is raised with what it means, as Tesla's own Go client does (`MayHaveSucceeded()`,
`Temporary()`):

- `may_have_succeeded`: the request may have reached Tesla (and the car) and done its work; only its answer is
  missing or cannot be trusted. True for a timeout or a broken connection after sending, for an answer that does
  not decode, and for 5xx answers other than 503. False for every 4xx, for 503, and for failures before the
  request left (connection refused).
- `temporary`: the same request may work later: 5xx answers, 408 (the car is asleep), 429, failures before the
  request left, timeouts, answers that do not decode, a car busy waking up.

What a caller does with them is its own decision (a command is sent again only when it did not reach the car, or
when sending it twice ends the same as once: see `features.commands.outcomes`); nothing in this package retries
by itself except after 421 and 401, which Tesla answers before doing anything. What each means for the product's
API is decided in one place, `features.connections.tesla_errors`. What changes a connection's state:

    TokenExpired            refresh the token (the rotated refresh token is stored), then send once more
    LoginRequired           the connection needs a reconnect (the user consents again)
    MissingScopes           the scopes changed on Tesla's side: the next token's `scp` says which
    WrongRegion             the user lives in another region: the client follows one 421 and remembers it
"""

from __future__ import annotations

KEY_NOT_PAIRED_REASON = "vehicle rejected request: your public key has not been paired with the vehicle"
VEHICLE_UNAVAILABLE_REASON = "vehicle unavailable: vehicle is offline or asleep"
# 5xx answers worth asking again; 503 also says that Tesla did nothing.
TEMPORARY_STATUSES = frozenset({500, 502, 503, 504, 540})


class TeslaError(Exception):
    """Base of every Tesla failure. `reason` is the text to show a user, in Tesla's words where Tesla gave some."""

    status: int | None = None
    may_have_succeeded: bool = False
    temporary: bool = False

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        body: object = None,
        may_have_succeeded: bool | None = None,
        temporary: bool | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        if status is not None:
            self.status = status
        if may_have_succeeded is not None:
            self.may_have_succeeded = may_have_succeeded
        if temporary is not None:
            self.temporary = temporary
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
    temporary = True


class MobileAccessDisabled(TeslaError):
    status = 401


class RateLimited(TeslaError):
    status = 429
    temporary = True

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
    """Anything else; where it is raised says whether the request may have succeeded and whether it is temporary."""

    @classmethod
    def answered(cls, reason: str, status: int, body: object = None) -> UpstreamError:
        """An error answer with no meaning of its own, marked by its status (see the module's docstring)."""
        return cls(
            reason,
            status=status,
            body=body,
            may_have_succeeded=status >= 500 and status != 503,
            temporary=status in TEMPORARY_STATUSES,
        )

    @classmethod
    def not_sent(cls, reason: str) -> UpstreamError:
        """Nothing reached Tesla: sending again is safe."""
        return cls(reason, may_have_succeeded=False, temporary=True)

    @classmethod
    def answer_lost(cls, reason: str, *, status: int | None = None, body: object = None) -> UpstreamError:
        """The request left (and may have done its work); its answer is missing, or cannot be read or trusted."""
        return cls(reason, status=status, body=body, may_have_succeeded=True, temporary=True)


class TelemetryConfigRefused(UpstreamError):
    """Tesla refused a Fleet Telemetry config as invalid (or its signature as not the app's): sending it again fails."""

    status = 400
