from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WorkspaceOut")


@_attrs_define
class WorkspaceOut:
    """
    Attributes:
        id (str):
        name (str): The operator's name for the workspace
        display_name (None | str): The application's name on the hosted pages (`name` when null)
        logo_url (None | str): Shown on the hosted pages: an https:// URL or a data:image URL
        accent_color (None | str): Buttons and links of the hosted pages, as #rrggbb
        created_at (datetime.datetime):
    """

    id: str
    name: str
    display_name: None | str
    logo_url: None | str
    accent_color: None | str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        display_name: None | str
        display_name = self.display_name

        logo_url: None | str
        logo_url = self.logo_url

        accent_color: None | str
        accent_color = self.accent_color

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "display_name": display_name,
                "logo_url": logo_url,
                "accent_color": accent_color,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_display_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        display_name = _parse_display_name(d.pop("display_name"))

        def _parse_logo_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        logo_url = _parse_logo_url(d.pop("logo_url"))

        def _parse_accent_color(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        accent_color = _parse_accent_color(d.pop("accent_color"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        workspace_out = cls(
            id=id,
            name=name,
            display_name=display_name,
            logo_url=logo_url,
            accent_color=accent_color,
            created_at=created_at,
        )

        workspace_out.additional_properties = d
        return workspace_out

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
