from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.costs import Costs
    from ..models.counts import Counts
    from ..models.device_usage import DeviceUsage


T = TypeVar("T", bound="ConnectionUsage")


@_attrs_define
class ConnectionUsage:
    """
    Attributes:
        connection_id (str):
        customer_id (str):
        counts (Counts):
        estimated_cost_usd (Costs):
        devices (list[DeviceUsage]): Billed calls per device of the connection
    """

    connection_id: str
    customer_id: str
    counts: Counts
    estimated_cost_usd: Costs
    devices: list[DeviceUsage]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        connection_id = self.connection_id

        customer_id = self.customer_id

        counts = self.counts.to_dict()

        estimated_cost_usd = self.estimated_cost_usd.to_dict()

        devices = []
        for devices_item_data in self.devices:
            devices_item = devices_item_data.to_dict()
            devices.append(devices_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "connection_id": connection_id,
                "customer_id": customer_id,
                "counts": counts,
                "estimated_cost_usd": estimated_cost_usd,
                "devices": devices,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.costs import Costs  # noqa: PLC0415
        from ..models.counts import Counts  # noqa: PLC0415
        from ..models.device_usage import DeviceUsage  # noqa: PLC0415

        d = dict(src_dict)
        connection_id = d.pop("connection_id")

        customer_id = d.pop("customer_id")

        counts = Counts.from_dict(d.pop("counts"))

        estimated_cost_usd = Costs.from_dict(d.pop("estimated_cost_usd"))

        devices = []
        _devices = d.pop("devices")
        for devices_item_data in _devices:
            devices_item = DeviceUsage.from_dict(devices_item_data)

            devices.append(devices_item)

        connection_usage = cls(
            connection_id=connection_id,
            customer_id=customer_id,
            counts=counts,
            estimated_cost_usd=estimated_cost_usd,
            devices=devices,
        )

        connection_usage.additional_properties = d
        return connection_usage

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
