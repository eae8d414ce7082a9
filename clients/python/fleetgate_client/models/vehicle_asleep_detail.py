from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vehicle_asleep_detail_online_state import VehicleAsleepDetailOnlineState

if TYPE_CHECKING:
    from ..models.asleep_remedy import AsleepRemedy
    from ..models.vehicle_asleep_detail_remedy_type_1 import VehicleAsleepDetailRemedyType1
    from ..models.vehicle_data import VehicleData


T = TypeVar("T", bound="VehicleAsleepDetail")


@_attrs_define
class VehicleAsleepDetail:
    """
    Attributes:
        code (str): `vehicle_asleep` (409), or `wake_timeout` (504) after a wake-up that did not succeed
        message (str):
        online_state (VehicleAsleepDetailOnlineState): What Tesla said of the car
        last_known_state (None | VehicleData): The last state fleetgate read, or null if none
        last_known_at (datetime.datetime | None): When that state was read
        age_seconds (float | None): Seconds since `last_known_at`
        woken (bool): Whether fleetgate asked Tesla to wake the car for this request
        remedy (AsleepRemedy | VehicleAsleepDetailRemedyType1): `vehicle_asleep`: retry with `wake=true`;
            `wake_timeout`: a note on what to do
        request_id (str):
    """

    code: str
    message: str
    online_state: VehicleAsleepDetailOnlineState
    last_known_state: None | VehicleData
    last_known_at: datetime.datetime | None
    age_seconds: float | None
    woken: bool
    remedy: AsleepRemedy | VehicleAsleepDetailRemedyType1
    request_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.asleep_remedy import AsleepRemedy  # noqa: PLC0415
        from ..models.vehicle_data import VehicleData  # noqa: PLC0415

        code = self.code

        message = self.message

        online_state = self.online_state.value

        last_known_state: dict[str, Any] | None
        if isinstance(self.last_known_state, VehicleData):
            last_known_state = self.last_known_state.to_dict()
        else:
            last_known_state = self.last_known_state

        last_known_at: None | str
        if isinstance(self.last_known_at, datetime.datetime):
            last_known_at = self.last_known_at.isoformat()
        else:
            last_known_at = self.last_known_at

        age_seconds: float | None
        age_seconds = self.age_seconds

        woken = self.woken

        remedy: dict[str, Any]
        if isinstance(self.remedy, AsleepRemedy):
            remedy = self.remedy.to_dict()
        else:
            remedy = self.remedy.to_dict()

        request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "online_state": online_state,
                "last_known_state": last_known_state,
                "last_known_at": last_known_at,
                "age_seconds": age_seconds,
                "woken": woken,
                "remedy": remedy,
                "request_id": request_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.asleep_remedy import AsleepRemedy  # noqa: PLC0415
        from ..models.vehicle_asleep_detail_remedy_type_1 import VehicleAsleepDetailRemedyType1  # noqa: PLC0415
        from ..models.vehicle_data import VehicleData  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        online_state = VehicleAsleepDetailOnlineState(d.pop("online_state"))

        def _parse_last_known_state(data: object) -> None | VehicleData:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_known_state_type_0 = VehicleData.from_dict(data)

                return last_known_state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VehicleData, data)

        last_known_state = _parse_last_known_state(d.pop("last_known_state"))

        def _parse_last_known_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_known_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_known_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_known_at = _parse_last_known_at(d.pop("last_known_at"))

        def _parse_age_seconds(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        age_seconds = _parse_age_seconds(d.pop("age_seconds"))

        woken = d.pop("woken")

        def _parse_remedy(data: object) -> AsleepRemedy | VehicleAsleepDetailRemedyType1:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                remedy_type_0 = AsleepRemedy.from_dict(data)

                return remedy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            remedy_type_1 = VehicleAsleepDetailRemedyType1.from_dict(data)

            return remedy_type_1

        remedy = _parse_remedy(d.pop("remedy"))

        request_id = d.pop("request_id")

        vehicle_asleep_detail = cls(
            code=code,
            message=message,
            online_state=online_state,
            last_known_state=last_known_state,
            last_known_at=last_known_at,
            age_seconds=age_seconds,
            woken=woken,
            remedy=remedy,
            request_id=request_id,
        )

        vehicle_asleep_detail.additional_properties = d
        return vehicle_asleep_detail

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
