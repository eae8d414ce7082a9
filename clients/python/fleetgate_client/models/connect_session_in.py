from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConnectSessionIn")


@_attrs_define
class ConnectSessionIn:
    """
    Attributes:
        access (list[str]): At least one of: vehicle_data, vehicle_location, vehicle_commands,
            vehicle_charging_commands, energy_data, energy_commands, user_profile
        customer_id (None | str | Unset): An existing customer of yours
        reference_id (None | str | Unset): Your id for the end user; a customer is created on first use. Give this or
            `customer_id`.
        redirect_url (None | str | Unset): Where the end user goes afterwards (absolute http(s) URL); without it,
            fleetgate's result page
        require_all (bool | Unset): Tesla lets the user continue only with every box ticked Default: False.
    """

    access: list[str]
    customer_id: None | str | Unset = UNSET
    reference_id: None | str | Unset = UNSET
    redirect_url: None | str | Unset = UNSET
    require_all: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        access = self.access

        customer_id: None | str | Unset
        if isinstance(self.customer_id, Unset):
            customer_id = UNSET
        else:
            customer_id = self.customer_id

        reference_id: None | str | Unset
        if isinstance(self.reference_id, Unset):
            reference_id = UNSET
        else:
            reference_id = self.reference_id

        redirect_url: None | str | Unset
        if isinstance(self.redirect_url, Unset):
            redirect_url = UNSET
        else:
            redirect_url = self.redirect_url

        require_all = self.require_all

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "access": access,
            }
        )
        if customer_id is not UNSET:
            field_dict["customer_id"] = customer_id
        if reference_id is not UNSET:
            field_dict["reference_id"] = reference_id
        if redirect_url is not UNSET:
            field_dict["redirect_url"] = redirect_url
        if require_all is not UNSET:
            field_dict["require_all"] = require_all

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        access = cast(list[str], d.pop("access"))

        def _parse_customer_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        customer_id = _parse_customer_id(d.pop("customer_id", UNSET))

        def _parse_reference_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference_id = _parse_reference_id(d.pop("reference_id", UNSET))

        def _parse_redirect_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redirect_url = _parse_redirect_url(d.pop("redirect_url", UNSET))

        require_all = d.pop("require_all", UNSET)

        connect_session_in = cls(
            access=access,
            customer_id=customer_id,
            reference_id=reference_id,
            redirect_url=redirect_url,
            require_all=require_all,
        )

        return connect_session_in
