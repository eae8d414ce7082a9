from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.connect_session_out_status import ConnectSessionOutStatus

if TYPE_CHECKING:
    from ..models.session_error import SessionError


T = TypeVar("T", bound="ConnectSessionOut")


@_attrs_define
class ConnectSessionOut:
    """
    Attributes:
        id (str):
        url (str): The hosted page to send the end user to
        status (ConnectSessionOutStatus):
        expires_at (datetime.datetime):
        customer_id (str):
        access (list[str]):
        require_all (bool):
        reconnect (bool): True when completing it updates an existing connection
        connection_id (None | str):
        redirect_url (None | str):
        granted_access (list[str] | None): Once completed: the access the user granted
        missing_access (list[str] | None): Once completed: requested access the user did not grant
        error (None | SessionError):
        created_at (datetime.datetime):
        completed_at (datetime.datetime | None):
    """

    id: str
    url: str
    status: ConnectSessionOutStatus
    expires_at: datetime.datetime
    customer_id: str
    access: list[str]
    require_all: bool
    reconnect: bool
    connection_id: None | str
    redirect_url: None | str
    granted_access: list[str] | None
    missing_access: list[str] | None
    error: None | SessionError
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.session_error import SessionError  # noqa: PLC0415

        id = self.id

        url = self.url

        status = self.status.value

        expires_at = self.expires_at.isoformat()

        customer_id = self.customer_id

        access = self.access

        require_all = self.require_all

        reconnect = self.reconnect

        connection_id: None | str
        connection_id = self.connection_id

        redirect_url: None | str
        redirect_url = self.redirect_url

        granted_access: list[str] | None
        if isinstance(self.granted_access, list):
            granted_access = self.granted_access

        else:
            granted_access = self.granted_access

        missing_access: list[str] | None
        if isinstance(self.missing_access, list):
            missing_access = self.missing_access

        else:
            missing_access = self.missing_access

        error: dict[str, Any] | None
        if isinstance(self.error, SessionError):
            error = self.error.to_dict()
        else:
            error = self.error

        created_at = self.created_at.isoformat()

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "url": url,
                "status": status,
                "expires_at": expires_at,
                "customer_id": customer_id,
                "access": access,
                "require_all": require_all,
                "reconnect": reconnect,
                "connection_id": connection_id,
                "redirect_url": redirect_url,
                "granted_access": granted_access,
                "missing_access": missing_access,
                "error": error,
                "created_at": created_at,
                "completed_at": completed_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.session_error import SessionError  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        status = ConnectSessionOutStatus(d.pop("status"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        customer_id = d.pop("customer_id")

        access = cast(list[str], d.pop("access"))

        require_all = d.pop("require_all")

        reconnect = d.pop("reconnect")

        def _parse_connection_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        connection_id = _parse_connection_id(d.pop("connection_id"))

        def _parse_redirect_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        redirect_url = _parse_redirect_url(d.pop("redirect_url"))

        def _parse_granted_access(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                granted_access_type_0 = cast(list[str], data)

                return granted_access_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        granted_access = _parse_granted_access(d.pop("granted_access"))

        def _parse_missing_access(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                missing_access_type_0 = cast(list[str], data)

                return missing_access_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        missing_access = _parse_missing_access(d.pop("missing_access"))

        def _parse_error(data: object) -> None | SessionError:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = SessionError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SessionError, data)

        error = _parse_error(d.pop("error"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        connect_session_out = cls(
            id=id,
            url=url,
            status=status,
            expires_at=expires_at,
            customer_id=customer_id,
            access=access,
            require_all=require_all,
            reconnect=reconnect,
            connection_id=connection_id,
            redirect_url=redirect_url,
            granted_access=granted_access,
            missing_access=missing_access,
            error=error,
            created_at=created_at,
            completed_at=completed_at,
        )

        connect_session_out.additional_properties = d
        return connect_session_out

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
