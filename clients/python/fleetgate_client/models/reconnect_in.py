from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReconnectIn")


@_attrs_define
class ReconnectIn:
    """
    Attributes:
        redirect_url (None | str | Unset): Where the end user goes afterwards (absolute http(s) URL)
        access (list[str] | Unset): Access to ask for on top of what the connection already asked for
    """

    redirect_url: None | str | Unset = UNSET
    access: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        redirect_url: None | str | Unset
        if isinstance(self.redirect_url, Unset):
            redirect_url = UNSET
        else:
            redirect_url = self.redirect_url

        access: list[str] | Unset = UNSET
        if not isinstance(self.access, Unset):
            access = self.access

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if redirect_url is not UNSET:
            field_dict["redirect_url"] = redirect_url
        if access is not UNSET:
            field_dict["access"] = access

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_redirect_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redirect_url = _parse_redirect_url(d.pop("redirect_url", UNSET))

        access = cast(list[str], d.pop("access", UNSET))

        reconnect_in = cls(
            redirect_url=redirect_url,
            access=access,
        )

        return reconnect_in
