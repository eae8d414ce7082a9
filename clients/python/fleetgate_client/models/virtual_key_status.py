from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="VirtualKeyStatus")


@_attrs_define
class VirtualKeyStatus:
    """
    Attributes:
        required (bool): Commands need the app's key on the car (it only takes signed commands)
        paired (bool | None): As Tesla's fleet_status last said; null before the first check
        pairing_url (str): Tesla's link that asks the owner to add the key (open it on the phone)
        checked_at (datetime.datetime | None):
        device_id (str):
        vin (str):
    """

    required: bool
    paired: bool | None
    pairing_url: str
    checked_at: datetime.datetime | None
    device_id: str
    vin: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        required = self.required

        paired: bool | None
        paired = self.paired

        pairing_url = self.pairing_url

        checked_at: None | str
        if isinstance(self.checked_at, datetime.datetime):
            checked_at = self.checked_at.isoformat()
        else:
            checked_at = self.checked_at

        device_id = self.device_id

        vin = self.vin

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "required": required,
                "paired": paired,
                "pairing_url": pairing_url,
                "checked_at": checked_at,
                "device_id": device_id,
                "vin": vin,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        required = d.pop("required")

        def _parse_paired(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        paired = _parse_paired(d.pop("paired"))

        pairing_url = d.pop("pairing_url")

        def _parse_checked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                checked_at_type_0 = datetime.datetime.fromisoformat(data)

                return checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        checked_at = _parse_checked_at(d.pop("checked_at"))

        device_id = d.pop("device_id")

        vin = d.pop("vin")

        virtual_key_status = cls(
            required=required,
            paired=paired,
            pairing_url=pairing_url,
            checked_at=checked_at,
            device_id=device_id,
            vin=vin,
        )

        virtual_key_status.additional_properties = d
        return virtual_key_status

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
