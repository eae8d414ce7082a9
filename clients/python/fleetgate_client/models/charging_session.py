from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.cost import Cost


T = TypeVar("T", bound="ChargingSession")


@_attrs_define
class ChargingSession:
    """
    Attributes:
        session_id (None | str): Tesla's id of the session
        start (str): When charging began, ISO 8601 with the zone's offset
        end (None | str): When it stopped
        duration_s (int | None): From start to end, seconds
        energy_added_wh (int | None): Energy the car took, Wh
        location_name (None | str): Where, as Tesla names the site (a Supercharger's name, Home)
        country_code (None | str): ISO 3166 country code of the site
        cost (Cost | None): What it cost, when Tesla billed it in one currency
        unplugged_at (None | str): When the cable came out, if it has
    """

    session_id: None | str
    start: str
    end: None | str
    duration_s: int | None
    energy_added_wh: int | None
    location_name: None | str
    country_code: None | str
    cost: Cost | None
    unplugged_at: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cost import Cost  # noqa: PLC0415

        session_id: None | str
        session_id = self.session_id

        start = self.start

        end: None | str
        end = self.end

        duration_s: int | None
        duration_s = self.duration_s

        energy_added_wh: int | None
        energy_added_wh = self.energy_added_wh

        location_name: None | str
        location_name = self.location_name

        country_code: None | str
        country_code = self.country_code

        cost: dict[str, Any] | None
        if isinstance(self.cost, Cost):
            cost = self.cost.to_dict()
        else:
            cost = self.cost

        unplugged_at: None | str
        unplugged_at = self.unplugged_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "session_id": session_id,
                "start": start,
                "end": end,
                "duration_s": duration_s,
                "energy_added_wh": energy_added_wh,
                "location_name": location_name,
                "country_code": country_code,
                "cost": cost,
                "unplugged_at": unplugged_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cost import Cost  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_session_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        session_id = _parse_session_id(d.pop("session_id"))

        start = d.pop("start")

        def _parse_end(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        end = _parse_end(d.pop("end"))

        def _parse_duration_s(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        duration_s = _parse_duration_s(d.pop("duration_s"))

        def _parse_energy_added_wh(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        energy_added_wh = _parse_energy_added_wh(d.pop("energy_added_wh"))

        def _parse_location_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location_name = _parse_location_name(d.pop("location_name"))

        def _parse_country_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        country_code = _parse_country_code(d.pop("country_code"))

        def _parse_cost(data: object) -> Cost | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cost_type_0 = Cost.from_dict(data)

                return cost_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Cost | None, data)

        cost = _parse_cost(d.pop("cost"))

        def _parse_unplugged_at(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        unplugged_at = _parse_unplugged_at(d.pop("unplugged_at"))

        charging_session = cls(
            session_id=session_id,
            start=start,
            end=end,
            duration_s=duration_s,
            energy_added_wh=energy_added_wh,
            location_name=location_name,
            country_code=country_code,
            cost=cost,
            unplugged_at=unplugged_at,
        )

        charging_session.additional_properties = d
        return charging_session

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
