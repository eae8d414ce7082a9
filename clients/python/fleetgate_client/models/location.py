from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Location")


@_attrs_define
class Location:
    """
    Attributes:
        latitude (float): Degrees north (WGS 84)
        longitude (float): Degrees east (WGS 84)
        heading_deg (float | None): Direction the car faces, degrees clockwise from north
    """

    latitude: float
    longitude: float
    heading_deg: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        latitude = self.latitude

        longitude = self.longitude

        heading_deg: float | None
        heading_deg = self.heading_deg

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "latitude": latitude,
                "longitude": longitude,
                "heading_deg": heading_deg,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        latitude = d.pop("latitude")

        longitude = d.pop("longitude")

        def _parse_heading_deg(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        heading_deg = _parse_heading_deg(d.pop("heading_deg"))

        location = cls(
            latitude=latitude,
            longitude=longitude,
            heading_deg=heading_deg,
        )

        location.additional_properties = d
        return location

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
