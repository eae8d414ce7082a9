from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.backup_event import BackupEvent
    from ..models.backup_totals import BackupTotals


T = TypeVar("T", bound="BackupHistory")


@_attrs_define
class BackupHistory:
    """
    Attributes:
        events (list[BackupEvent]): Outages that overlap the range, whole, oldest first
        totals (BackupTotals):
    """

    events: list[BackupEvent]
    totals: BackupTotals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        totals = self.totals.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "events": events,
                "totals": totals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.backup_event import BackupEvent  # noqa: PLC0415
        from ..models.backup_totals import BackupTotals  # noqa: PLC0415

        d = dict(src_dict)
        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = BackupEvent.from_dict(events_item_data)

            events.append(events_item)

        totals = BackupTotals.from_dict(d.pop("totals"))

        backup_history = cls(
            events=events,
            totals=totals,
        )

        backup_history.additional_properties = d
        return backup_history

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
