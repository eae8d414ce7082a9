"""ORM models, one file per table. Importing this package registers every table on `Base.metadata`."""

from fleetgate.models.api_key import ApiKey
from fleetgate.models.command import Command
from fleetgate.models.connect_session import ConnectSession
from fleetgate.models.connection import Connection
from fleetgate.models.customer import Customer
from fleetgate.models.device import Device
from fleetgate.models.device_state import DeviceState
from fleetgate.models.event import Event
from fleetgate.models.upstream_call import UpstreamCall
from fleetgate.models.webhook_attempt import WebhookAttempt
from fleetgate.models.webhook_delivery import WebhookDelivery
from fleetgate.models.webhook_endpoint import WebhookEndpoint
from fleetgate.models.workspace import Workspace

__all__ = [
    "ApiKey",
    "Command",
    "ConnectSession",
    "Connection",
    "Customer",
    "Device",
    "DeviceState",
    "Event",
    "UpstreamCall",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "Workspace",
]
