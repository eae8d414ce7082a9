"""The telemetry receiver's optional publishing of decoded records to NATS and MQTT, for deployments that already run
a broker, as Tesla's fleet-telemetry server dispatches to its datastores. Subjects and topics: `nats.py`, `mqtt.py`;
what a message carries: `messages.py`; buffered or reliable: `publisher.py`.
"""

from fleetgate.features.telemetry.brokers.broker import BrokerUnavailable
from fleetgate.features.telemetry.brokers.messages import (
    BrokerRecord,
    alerts_record,
    broker_record,
    connectivity_record,
    errors_record,
    vehicle_data_record,
)
from fleetgate.features.telemetry.brokers.publisher import BrokerSettings, RecordPublisher, open_publisher

__all__ = [
    "BrokerRecord",
    "BrokerSettings",
    "BrokerUnavailable",
    "RecordPublisher",
    "alerts_record",
    "broker_record",
    "connectivity_record",
    "errors_record",
    "open_publisher",
    "vehicle_data_record",
]
