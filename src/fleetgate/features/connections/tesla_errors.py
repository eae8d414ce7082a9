"""What Tesla's errors mean for the API, decided once: each `TeslaError` becomes one API error (status, code,
message, remedy), whether a request answers with it or a command ends with it (`features.commands.outcomes` takes
the code, message and remedy from here and decides only whether to try again).

    Tesla's error           API error                   status  remedy
    ----------------------  --------------------------  ------  ---------------------------------------------
    LoginRequired           needs_reconnect             409     reconnect and manage-access links
    MissingScopes           insufficient_scope          403     the missing access, with the same links
    RateLimited             rate_limited                429     `Retry-After`
    VehicleUnavailable      vehicle_asleep              409     try with a wake
    KeyNotPaired            virtual_key_not_paired      409     the pairing link (when a vehicle is known)
    CommandRefused          command_refused             409     (the car's reason)
    MobileAccessDisabled    mobile_access_disabled      409     allow mobile access in the car
    ProtocolRequired        signing_required            409     configure the app's private key
    NotRegisteredInRegion   app_not_registered          502     `fleetgate partner register`
    PaymentRequired         tesla_payment_required      502     Tesla's developer dashboard
    TelemetryConfigRefused  telemetry_config_refused    502     the receiver's settings; the app's registered key
    anything else           upstream_error              502     (Tesla's reason in the message)
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import ACCESS_BY_SCOPE
from fleetgate.features.connections.errors import ConnectionRevoked, needs_reconnect_error
from fleetgate.features.connections.fleet import mark_needs_reconnect, remedies_of
from fleetgate.features.connections.tokens import reconnect_reason
from fleetgate.infra.errors import (
    APIError,
    InsufficientScope,
    NeedsReconnect,
    RateLimited,
    UpstreamFailure,
    VehicleAsleep,
)
from fleetgate.infra.models import Connection
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla import errors as tesla


class VirtualKeyNotPaired(APIError):
    status = 409
    code = "virtual_key_not_paired"


class RefusedByVehicle(APIError):
    status = 409
    code = "command_refused"


class MobileAccessOff(APIError):
    status = 409
    code = "mobile_access_disabled"


class SigningRequired(APIError):
    status = 409
    code = "signing_required"


class AppNotRegistered(UpstreamFailure):
    code = "app_not_registered"


class TeslaPaymentRequired(UpstreamFailure):
    code = "tesla_payment_required"


class TelemetryConfigRefusedByTesla(UpstreamFailure):
    code = "telemetry_config_refused"


# What any call to Tesla for a connection may end with, for the OpenAPI document of the routes that make one.
TESLA_ACCOUNT_ERRORS: tuple[type[APIError], ...] = (
    InsufficientScope,
    NeedsReconnect,
    ConnectionRevoked,
    RateLimited,
    UpstreamFailure,
    AppNotRegistered,
    TeslaPaymentRequired,
)


def api_error(
    runtime: Runtime, connection: Connection, exc: tesla.TeslaError, *, pairing_url: str | None = None
) -> APIError:
    """`pairing_url`: the vehicle's, when the call was about one (the remedy of a key it does not know)."""
    remedies = remedies_of(runtime, connection)
    if isinstance(exc, tesla.LoginRequired):
        # Marked already (by the refresh that found out, or by `fleet_api`): the row's reason is the one to show.
        reason = connection.status_reason if connection.status == ConnectionStatus.NEEDS_RECONNECT else None
        return needs_reconnect_error(connection.id, reason or reconnect_reason(exc), remedies)
    if isinstance(exc, tesla.MissingScopes):
        missing = [ACCESS_BY_SCOPE[scope].name for scope in exc.scopes if scope in ACCESS_BY_SCOPE]
        return InsufficientScope(
            f"Tesla refused the call for missing scopes: {exc.reason}",
            remedy={"missing_access": missing, **remedies},
            missing_scopes=list(exc.scopes),
        )
    if isinstance(exc, tesla.RateLimited):
        seconds = max(1, math.ceil(exc.retry_after))
        return RateLimited(
            f"Tesla's rate limit: {exc.reason}", headers={"Retry-After": str(seconds)}, retry_after=seconds
        )
    if isinstance(exc, tesla.VehicleUnavailable):
        return VehicleAsleep(
            f"The vehicle is asleep or offline: {exc.reason}",
            remedy={"retry_with": {"wake": True}, "note": "Waking costs a billed wake."},
        )
    if isinstance(exc, tesla.KeyNotPaired):
        return VirtualKeyNotPaired(
            "The vehicle does not know the application's key: the owner must pair it (open the pairing link on the "
            "phone with the Tesla app, then approve).",
            remedy={"action": "pair_virtual_key", "pairing_url": pairing_url} if pairing_url else None,
        )
    if isinstance(exc, tesla.CommandRefused):
        return RefusedByVehicle(f"The vehicle refused the command: {exc.reason}")
    if isinstance(exc, tesla.MobileAccessDisabled):
        return MobileAccessOff(
            "The owner has turned off mobile access in the car.",
            remedy={"action": "enable_mobile_access", "note": "In the car: Controls > Safety > Allow Mobile Access."},
        )
    if isinstance(exc, tesla.ProtocolRequired):
        return SigningRequired(
            "The car takes only signed commands, and fleetgate has no private key to sign them.",
            remedy={"action": "configure_private_key", "command": "fleetgate keys generate"},
        )
    if isinstance(exc, tesla.NotRegisteredInRegion):
        return AppNotRegistered(
            f"Tesla: {exc.reason}",
            remedy={"action": "register_app", "command": f"fleetgate partner register --region {connection.region}"},
            tesla_status=exc.status,
        )
    if isinstance(exc, tesla.PaymentRequired):
        return TeslaPaymentRequired(
            f"Tesla: {exc.reason}",
            remedy={"note": "Raise the billing limit, or add a payment method, in Tesla's developer dashboard."},
            tesla_status=exc.status,
        )
    if isinstance(exc, tesla.TelemetryConfigRefused):
        # The config is built from the deployment's settings and signed with its key: the fix is the operator's.
        return TelemetryConfigRefusedByTesla(
            f"Tesla refused the telemetry config: {exc.reason}",
            remedy={
                "note": "Check the receiver's public hostname, port and CA chain (FLEETGATE_TELEMETRY_*), and that "
                "the public key Tesla holds for the app is this deployment's (fleetgate partner register)."
            },
            tesla_status=exc.status,
        )
    return UpstreamFailure(f"Tesla: {exc.reason}", tesla_status=exc.status)


@asynccontextmanager
async def upstream_errors(
    runtime: Runtime, session: AsyncSession | None, connection: Connection
) -> AsyncIterator[None]:
    """Around a route's service call: Tesla's errors out as API errors (a refused refresh first marks the connection
    `needs_reconnect`, committed on its own)."""
    try:
        yield
    except tesla.TeslaError as exc:
        if isinstance(exc, tesla.LoginRequired):
            await mark_needs_reconnect(runtime, session, connection, exc)
        raise api_error(runtime, connection, exc) from exc
