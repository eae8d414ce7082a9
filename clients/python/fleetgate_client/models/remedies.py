from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Remedies")


@_attrs_define
class Remedies:
    """
    Attributes:
        reconnect_api_url (str): For your backend: POST it with your API key for a connect session that asks the user
            again
        reconnect_link (str): For the user: a page they open themselves (an email, a notification) that takes them
            through Tesla's consent again; no API key in it. Valid at least 7 days; the same link is given all day
        manage_access_url (str): Tesla's page where the user changes or removes this app's access
    """

    reconnect_api_url: str
    reconnect_link: str
    manage_access_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reconnect_api_url = self.reconnect_api_url

        reconnect_link = self.reconnect_link

        manage_access_url = self.manage_access_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reconnect_api_url": reconnect_api_url,
                "reconnect_link": reconnect_link,
                "manage_access_url": manage_access_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reconnect_api_url = d.pop("reconnect_api_url")

        reconnect_link = d.pop("reconnect_link")

        manage_access_url = d.pop("manage_access_url")

        remedies = cls(
            reconnect_api_url=reconnect_api_url,
            reconnect_link=reconnect_link,
            manage_access_url=manage_access_url,
        )

        remedies.additional_properties = d
        return remedies

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
