from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.charging_session import ChargingSession
    from ..models.charging_totals import ChargingTotals


T = TypeVar("T", bound="ChargingHistory")


@_attrs_define
class ChargingHistory:
    """
    Attributes:
        sessions (list[ChargingSession]): Sessions that began in the range and have ended, oldest first
        totals (ChargingTotals):
    """

    sessions: list[ChargingSession]
    totals: ChargingTotals
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sessions = []
        for sessions_item_data in self.sessions:
            sessions_item = sessions_item_data.to_dict()
            sessions.append(sessions_item)

        totals = self.totals.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sessions": sessions,
                "totals": totals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.charging_session import ChargingSession  # noqa: PLC0415
        from ..models.charging_totals import ChargingTotals  # noqa: PLC0415

        d = dict(src_dict)
        sessions = []
        _sessions = d.pop("sessions")
        for sessions_item_data in _sessions:
            sessions_item = ChargingSession.from_dict(sessions_item_data)

            sessions.append(sessions_item)

        totals = ChargingTotals.from_dict(d.pop("totals"))

        charging_history = cls(
            sessions=sessions,
            totals=totals,
        )

        charging_history.additional_properties = d
        return charging_history

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
