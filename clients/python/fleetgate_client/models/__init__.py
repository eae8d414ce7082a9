"""Contains all the data models used in inputs/outputs"""

from .absent_entry import AbsentEntry
from .asleep_remedy import AsleepRemedy
from .attempt_out import AttemptOut
from .backup_event import BackupEvent
from .backup_history import BackupHistory
from .backup_totals import BackupTotals
from .budget_out import BudgetOut
from .capability_out import CapabilityOut
from .catalog import Catalog
from .catalog_entry import CatalogEntry
from .catalog_entry_params_schema import CatalogEntryParamsSchema
from .charge_schedule import ChargeSchedule
from .charge_schedule_days_item import ChargeScheduleDaysItem
from .charging_history import ChargingHistory
from .charging_session import ChargingSession
from .charging_totals import ChargingTotals
from .check_health_response_check_health import CheckHealthResponseCheckHealth
from .command_error import CommandError
from .command_error_remedy_type_0 import CommandErrorRemedyType0
from .command_in import CommandIn
from .command_in_if_key_missing import CommandInIfKeyMissing
from .command_in_params import CommandInParams
from .command_out import CommandOut
from .command_out_params import CommandOutParams
from .command_out_status import CommandOutStatus
from .command_page import CommandPage
from .connect_session_in import ConnectSessionIn
from .connect_session_out import ConnectSessionOut
from .connect_session_out_status import ConnectSessionOutStatus
from .connection_out import ConnectionOut
from .connection_out_region import ConnectionOutRegion
from .connection_status import ConnectionStatus
from .connection_usage import ConnectionUsage
from .cost import Cost
from .cost_estimate_out import CostEstimateOut
from .costs import Costs
from .counts import Counts
from .customer_in import CustomerIn
from .customer_out import CustomerOut
from .delivery_out import DeliveryOut
from .delivery_page import DeliveryPage
from .device_page import DevicePage
from .device_status import DeviceStatus
from .device_usage import DeviceUsage
from .energy_flows import EnergyFlows
from .energy_history import EnergyHistory
from .energy_interval import EnergyInterval
from .energy_site_data import EnergySiteData
from .energy_site_data_grid_status_type_0 import EnergySiteDataGridStatusType0
from .energy_site_out import EnergySiteOut
from .energy_site_out_capabilities import EnergySiteOutCapabilities
from .energy_site_state_out import EnergySiteStateOut
from .energy_site_state_out_field_times import EnergySiteStateOutFieldTimes
from .energy_site_state_out_online_state_type_0 import EnergySiteStateOutOnlineStateType0
from .energy_site_state_out_raw_type_0 import EnergySiteStateOutRawType0
from .energy_site_state_out_source import EnergySiteStateOutSource
from .error_body import ErrorBody
from .error_detail import ErrorDetail
from .error_detail_remedy_type_0 import ErrorDetailRemedyType0
from .event_out import EventOut
from .event_out_data import EventOutData
from .event_page import EventPage
from .field_cost_out import FieldCostOut
from .field_setting import FieldSetting
from .get_command_catalog_device_type import GetCommandCatalogDeviceType
from .get_device_capabilities_response_get_device_capabilities import GetDeviceCapabilitiesResponseGetDeviceCapabilities
from .get_device_history_kind import GetDeviceHistoryKind
from .get_device_history_period import GetDeviceHistoryPeriod
from .history_out import HistoryOut
from .history_out_kind import HistoryOutKind
from .history_out_period import HistoryOutPeriod
from .history_out_source import HistoryOutSource
from .history_out_type import HistoryOutType
from .history_range import HistoryRange
from .list_commands_order import ListCommandsOrder
from .list_commands_status import ListCommandsStatus
from .list_connections_order import ListConnectionsOrder
from .list_customers_order import ListCustomersOrder
from .list_device_commands_order import ListDeviceCommandsOrder
from .list_device_commands_status import ListDeviceCommandsStatus
from .list_devices_order import ListDevicesOrder
from .list_devices_type import ListDevicesType
from .list_events_order import ListEventsOrder
from .list_webhook_deliveries_order import ListWebhookDeliveriesOrder
from .list_webhook_deliveries_status import ListWebhookDeliveriesStatus
from .list_webhook_endpoints_order import ListWebhookEndpointsOrder
from .location import Location
from .page_connection_out import PageConnectionOut
from .page_customer_out import PageCustomerOut
from .period import Period
from .polling_cost_out import PollingCostOut
from .precondition_schedule import PreconditionSchedule
from .precondition_schedule_days_item import PreconditionScheduleDaysItem
from .problem import Problem
from .reconnect_in import ReconnectIn
from .remedies import Remedies
from .schedule_place import SchedulePlace
from .scheduled_charging import ScheduledCharging
from .session_error import SessionError
from .streamed_field_out import StreamedFieldOut
from .synced_connection_out import SyncedConnectionOut
from .synced_connection_out_region import SyncedConnectionOutRegion
from .telemetry_error_out import TelemetryErrorOut
from .telemetry_in import TelemetryIn
from .telemetry_in_alert_types_item import TelemetryInAlertTypesItem
from .telemetry_in_fields_type_1 import TelemetryInFieldsType1
from .telemetry_out import TelemetryOut
from .telemetry_out_fields import TelemetryOutFields
from .telemetry_status import TelemetryStatus
from .usage_out import UsageOut
from .vehicle_asleep_body import VehicleAsleepBody
from .vehicle_asleep_detail import VehicleAsleepDetail
from .vehicle_asleep_detail_online_state import VehicleAsleepDetailOnlineState
from .vehicle_asleep_detail_remedy_type_1 import VehicleAsleepDetailRemedyType1
from .vehicle_data import VehicleData
from .vehicle_data_charging_state_type_0 import VehicleDataChargingStateType0
from .vehicle_data_online_state_type_0 import VehicleDataOnlineStateType0
from .vehicle_out import VehicleOut
from .vehicle_out_capabilities import VehicleOutCapabilities
from .vehicle_state_out import VehicleStateOut
from .vehicle_state_out_field_times import VehicleStateOutFieldTimes
from .vehicle_state_out_online_state_type_0 import VehicleStateOutOnlineStateType0
from .vehicle_state_out_raw_type_0 import VehicleStateOutRawType0
from .vehicle_state_out_source import VehicleStateOutSource
from .virtual_key_out import VirtualKeyOut
from .virtual_key_status import VirtualKeyStatus
from .webhook_endpoint_created import WebhookEndpointCreated
from .webhook_endpoint_in import WebhookEndpointIn
from .webhook_endpoint_out import WebhookEndpointOut
from .webhook_endpoint_page import WebhookEndpointPage
from .workspace_budget_in import WorkspaceBudgetIn
from .workspace_budget_out import WorkspaceBudgetOut
from .workspace_out import WorkspaceOut
from .workspace_patch import WorkspacePatch

__all__ = (
    "AbsentEntry",
    "AsleepRemedy",
    "AttemptOut",
    "BackupEvent",
    "BackupHistory",
    "BackupTotals",
    "BudgetOut",
    "CapabilityOut",
    "Catalog",
    "CatalogEntry",
    "CatalogEntryParamsSchema",
    "ChargeSchedule",
    "ChargeScheduleDaysItem",
    "ChargingHistory",
    "ChargingSession",
    "ChargingTotals",
    "CheckHealthResponseCheckHealth",
    "CommandError",
    "CommandErrorRemedyType0",
    "CommandIn",
    "CommandInIfKeyMissing",
    "CommandInParams",
    "CommandOut",
    "CommandOutParams",
    "CommandOutStatus",
    "CommandPage",
    "ConnectionOut",
    "ConnectionOutRegion",
    "ConnectionStatus",
    "ConnectionUsage",
    "ConnectSessionIn",
    "ConnectSessionOut",
    "ConnectSessionOutStatus",
    "Cost",
    "CostEstimateOut",
    "Costs",
    "Counts",
    "CustomerIn",
    "CustomerOut",
    "DeliveryOut",
    "DeliveryPage",
    "DevicePage",
    "DeviceStatus",
    "DeviceUsage",
    "EnergyFlows",
    "EnergyHistory",
    "EnergyInterval",
    "EnergySiteData",
    "EnergySiteDataGridStatusType0",
    "EnergySiteOut",
    "EnergySiteOutCapabilities",
    "EnergySiteStateOut",
    "EnergySiteStateOutFieldTimes",
    "EnergySiteStateOutOnlineStateType0",
    "EnergySiteStateOutRawType0",
    "EnergySiteStateOutSource",
    "ErrorBody",
    "ErrorDetail",
    "ErrorDetailRemedyType0",
    "EventOut",
    "EventOutData",
    "EventPage",
    "FieldCostOut",
    "FieldSetting",
    "GetCommandCatalogDeviceType",
    "GetDeviceCapabilitiesResponseGetDeviceCapabilities",
    "GetDeviceHistoryKind",
    "GetDeviceHistoryPeriod",
    "HistoryOut",
    "HistoryOutKind",
    "HistoryOutPeriod",
    "HistoryOutSource",
    "HistoryOutType",
    "HistoryRange",
    "ListCommandsOrder",
    "ListCommandsStatus",
    "ListConnectionsOrder",
    "ListCustomersOrder",
    "ListDeviceCommandsOrder",
    "ListDeviceCommandsStatus",
    "ListDevicesOrder",
    "ListDevicesType",
    "ListEventsOrder",
    "ListWebhookDeliveriesOrder",
    "ListWebhookDeliveriesStatus",
    "ListWebhookEndpointsOrder",
    "Location",
    "PageConnectionOut",
    "PageCustomerOut",
    "Period",
    "PollingCostOut",
    "PreconditionSchedule",
    "PreconditionScheduleDaysItem",
    "Problem",
    "ReconnectIn",
    "Remedies",
    "ScheduledCharging",
    "SchedulePlace",
    "SessionError",
    "StreamedFieldOut",
    "SyncedConnectionOut",
    "SyncedConnectionOutRegion",
    "TelemetryErrorOut",
    "TelemetryIn",
    "TelemetryInAlertTypesItem",
    "TelemetryInFieldsType1",
    "TelemetryOut",
    "TelemetryOutFields",
    "TelemetryStatus",
    "UsageOut",
    "VehicleAsleepBody",
    "VehicleAsleepDetail",
    "VehicleAsleepDetailOnlineState",
    "VehicleAsleepDetailRemedyType1",
    "VehicleData",
    "VehicleDataChargingStateType0",
    "VehicleDataOnlineStateType0",
    "VehicleOut",
    "VehicleOutCapabilities",
    "VehicleStateOut",
    "VehicleStateOutFieldTimes",
    "VehicleStateOutOnlineStateType0",
    "VehicleStateOutRawType0",
    "VehicleStateOutSource",
    "VirtualKeyOut",
    "VirtualKeyStatus",
    "WebhookEndpointCreated",
    "WebhookEndpointIn",
    "WebhookEndpointOut",
    "WebhookEndpointPage",
    "WorkspaceBudgetIn",
    "WorkspaceBudgetOut",
    "WorkspaceOut",
    "WorkspacePatch",
)
