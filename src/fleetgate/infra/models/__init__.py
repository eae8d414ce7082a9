"""ORM models, one file per table. Importing this package registers every table on `Base.metadata`."""

from fleetgate.infra.models.api_key import ApiKey
from fleetgate.infra.models.command import Command
from fleetgate.infra.models.connect_session import ConnectSession
from fleetgate.infra.models.connection import Connection
from fleetgate.infra.models.console_login import ConsoleLogin
from fleetgate.infra.models.customer import Customer
from fleetgate.infra.models.device import Device
from fleetgate.infra.models.device_history import DeviceHistory
from fleetgate.infra.models.device_state import DeviceState
from fleetgate.infra.models.event import Event
from fleetgate.infra.models.telemetry_config import TelemetryConfig
from fleetgate.infra.models.telemetry_connectivity import TelemetryConnectivity
from fleetgate.infra.models.telemetry_record import TelemetryRecord
from fleetgate.infra.models.telemetry_signal_hour import TelemetrySignalHour
from fleetgate.infra.models.upstream_call import UpstreamCall
from fleetgate.infra.models.webhook_attempt import WebhookAttempt
from fleetgate.infra.models.webhook_delivery import WebhookDelivery
from fleetgate.infra.models.webhook_endpoint import WebhookEndpoint
from fleetgate.infra.models.workspace import Workspace

__all__ = [
    "ApiKey",
    "Command",
    "ConnectSession",
    "Connection",
    "ConsoleLogin",
    "Customer",
    "Device",
    "DeviceHistory",
    "DeviceState",
    "Event",
    "TelemetryConfig",
    "TelemetryConnectivity",
    "TelemetryRecord",
    "TelemetrySignalHour",
    "UpstreamCall",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "Workspace",
]
