from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkspacePatch")


@_attrs_define
class WorkspacePatch:
    """Only the fields sent change; `null` clears one.

    Attributes:
        display_name (None | str | Unset):
        logo_url (None | str | Unset): https:// URL, or a base64 data: URL of a PNG, JPEG, GIF, WebP or SVG image (up to
            64 KiB)
        accent_color (None | str | Unset): #rrggbb
    """

    display_name: None | str | Unset = UNSET
    logo_url: None | str | Unset = UNSET
    accent_color: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        display_name: None | str | Unset
        if isinstance(self.display_name, Unset):
            display_name = UNSET
        else:
            display_name = self.display_name

        logo_url: None | str | Unset
        if isinstance(self.logo_url, Unset):
            logo_url = UNSET
        else:
            logo_url = self.logo_url

        accent_color: None | str | Unset
        if isinstance(self.accent_color, Unset):
            accent_color = UNSET
        else:
            accent_color = self.accent_color

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if display_name is not UNSET:
            field_dict["display_name"] = display_name
        if logo_url is not UNSET:
            field_dict["logo_url"] = logo_url
        if accent_color is not UNSET:
            field_dict["accent_color"] = accent_color

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_display_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        display_name = _parse_display_name(d.pop("display_name", UNSET))

        def _parse_logo_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        logo_url = _parse_logo_url(d.pop("logo_url", UNSET))

        def _parse_accent_color(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        accent_color = _parse_accent_color(d.pop("accent_color", UNSET))

        workspace_patch = cls(
            display_name=display_name,
            logo_url=logo_url,
            accent_color=accent_color,
        )

        return workspace_patch
