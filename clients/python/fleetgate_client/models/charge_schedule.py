from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.charge_schedule_days_item import ChargeScheduleDaysItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.schedule_place import SchedulePlace


T = TypeVar("T", bound="ChargeSchedule")


@_attrs_define
class ChargeSchedule:
    """
    Attributes:
        id (int): The car's id of the schedule (what `remove_charge_schedule` takes)
        name (None | str): The owner's name for it
        days (list[ChargeScheduleDaysItem]): The days it runs on
        enabled (bool):
        start_minute (int | None): When charging starts, minutes after midnight in the car's local time; null: no start
            time
        end_minute (int | None): When charging stops, minutes after midnight; null: no end time
        one_time (bool): Whether it runs once, then is turned off
        place (None | SchedulePlace | Unset): Where the schedule applies (the car acts on it only there); present only
            with the `read_location` capability
    """

    id: int
    name: None | str
    days: list[ChargeScheduleDaysItem]
    enabled: bool
    start_minute: int | None
    end_minute: int | None
    one_time: bool
    place: None | SchedulePlace | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.schedule_place import SchedulePlace  # noqa: PLC0415

        id = self.id

        name: None | str
        name = self.name

        days = []
        for days_item_data in self.days:
            days_item = days_item_data.value
            days.append(days_item)

        enabled = self.enabled

        start_minute: int | None
        start_minute = self.start_minute

        end_minute: int | None
        end_minute = self.end_minute

        one_time = self.one_time

        place: dict[str, Any] | None | Unset
        if isinstance(self.place, Unset):
            place = UNSET
        elif isinstance(self.place, SchedulePlace):
            place = self.place.to_dict()
        else:
            place = self.place

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "days": days,
                "enabled": enabled,
                "start_minute": start_minute,
                "end_minute": end_minute,
                "one_time": one_time,
            }
        )
        if place is not UNSET:
            field_dict["place"] = place

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.schedule_place import SchedulePlace  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        days = []
        _days = d.pop("days")
        for days_item_data in _days:
            days_item = ChargeScheduleDaysItem(days_item_data)

            days.append(days_item)

        enabled = d.pop("enabled")

        def _parse_start_minute(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        start_minute = _parse_start_minute(d.pop("start_minute"))

        def _parse_end_minute(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        end_minute = _parse_end_minute(d.pop("end_minute"))

        one_time = d.pop("one_time")

        def _parse_place(data: object) -> None | SchedulePlace | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                place_type_0 = SchedulePlace.from_dict(data)

                return place_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SchedulePlace | Unset, data)

        place = _parse_place(d.pop("place", UNSET))

        charge_schedule = cls(
            id=id,
            name=name,
            days=days,
            enabled=enabled,
            start_minute=start_minute,
            end_minute=end_minute,
            one_time=one_time,
            place=place,
        )

        charge_schedule.additional_properties = d
        return charge_schedule

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
