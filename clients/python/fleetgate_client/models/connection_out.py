from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.connection_out_region import ConnectionOutRegion
from ..models.connection_status import ConnectionStatus

if TYPE_CHECKING:
    from ..models.remedies import Remedies


T = TypeVar("T", bound="ConnectionOut")


@_attrs_define
class ConnectionOut:
    """
    Attributes:
        id (str):
        customer_id (str):
        status (ConnectionStatus): A connection's life: `active` → `needs_reconnect` (Tesla refused to renew access, or
            the same Tesla account
            was connected again in another workspace) → `revoked` (deleted). A reconnect, or connecting the same Tesla
            account again in its workspace, makes it `active` once more.
        status_reason (None | str): Why the connection is not active, in Tesla's words where possible
        region (ConnectionOutRegion):
        granted_scopes (list[str]): The `scp` of the current access token, unknown scopes included
        granted_access (list[str]):
        requested_access (list[str]): Everything asked for by the connects of this connection
        missing_access (list[str]): Requested access the user did not grant
        remedies (Remedies):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        synced_at (datetime.datetime | None):
    """

    id: str
    customer_id: str
    status: ConnectionStatus
    status_reason: None | str
    region: ConnectionOutRegion
    granted_scopes: list[str]
    granted_access: list[str]
    requested_access: list[str]
    missing_access: list[str]
    remedies: Remedies
    created_at: datetime.datetime
    updated_at: datetime.datetime
    synced_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        customer_id = self.customer_id

        status = self.status.value

        status_reason: None | str
        status_reason = self.status_reason

        region = self.region.value

        granted_scopes = self.granted_scopes

        granted_access = self.granted_access

        requested_access = self.requested_access

        missing_access = self.missing_access

        remedies = self.remedies.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        synced_at: None | str
        if isinstance(self.synced_at, datetime.datetime):
            synced_at = self.synced_at.isoformat()
        else:
            synced_at = self.synced_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "customer_id": customer_id,
                "status": status,
                "status_reason": status_reason,
                "region": region,
                "granted_scopes": granted_scopes,
                "granted_access": granted_access,
                "requested_access": requested_access,
                "missing_access": missing_access,
                "remedies": remedies,
                "created_at": created_at,
                "updated_at": updated_at,
                "synced_at": synced_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.remedies import Remedies  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        customer_id = d.pop("customer_id")

        status = ConnectionStatus(d.pop("status"))

        def _parse_status_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status_reason = _parse_status_reason(d.pop("status_reason"))

        region = ConnectionOutRegion(d.pop("region"))

        granted_scopes = cast(list[str], d.pop("granted_scopes"))

        granted_access = cast(list[str], d.pop("granted_access"))

        requested_access = cast(list[str], d.pop("requested_access"))

        missing_access = cast(list[str], d.pop("missing_access"))

        remedies = Remedies.from_dict(d.pop("remedies"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_synced_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                synced_at_type_0 = datetime.datetime.fromisoformat(data)

                return synced_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        synced_at = _parse_synced_at(d.pop("synced_at"))

        connection_out = cls(
            id=id,
            customer_id=customer_id,
            status=status,
            status_reason=status_reason,
            region=region,
            granted_scopes=granted_scopes,
            granted_access=granted_access,
            requested_access=requested_access,
            missing_access=missing_access,
            remedies=remedies,
            created_at=created_at,
            updated_at=updated_at,
            synced_at=synced_at,
        )

        connection_out.additional_properties = d
        return connection_out

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
