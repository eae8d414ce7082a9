from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.command_out_status import CommandOutStatus

if TYPE_CHECKING:
    from ..models.command_error import CommandError
    from ..models.command_out_params import CommandOutParams


T = TypeVar("T", bound="CommandOut")


@_attrs_define
class CommandOut:
    """
    Attributes:
        id (str):
        device_id (str):
        connection_id (str):
        customer_id (str):
        command (str):
        params (CommandOutParams):
        wake (bool):
        idempotent (bool):
        status (CommandOutStatus):
        reason (None | str):
        error (CommandError | None):
        attempts (int):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        completed_at (datetime.datetime | None):
        expires_at (datetime.datetime):
    """

    id: str
    device_id: str
    connection_id: str
    customer_id: str
    command: str
    params: CommandOutParams
    wake: bool
    idempotent: bool
    status: CommandOutStatus
    reason: None | str
    error: CommandError | None
    attempts: int
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.command_error import CommandError  # noqa: PLC0415

        id = self.id

        device_id = self.device_id

        connection_id = self.connection_id

        customer_id = self.customer_id

        command = self.command

        params = self.params.to_dict()

        wake = self.wake

        idempotent = self.idempotent

        status = self.status.value

        reason: None | str
        reason = self.reason

        error: dict[str, Any] | None
        if isinstance(self.error, CommandError):
            error = self.error.to_dict()
        else:
            error = self.error

        attempts = self.attempts

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        expires_at = self.expires_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "device_id": device_id,
                "connection_id": connection_id,
                "customer_id": customer_id,
                "command": command,
                "params": params,
                "wake": wake,
                "idempotent": idempotent,
                "status": status,
                "reason": reason,
                "error": error,
                "attempts": attempts,
                "created_at": created_at,
                "started_at": started_at,
                "completed_at": completed_at,
                "expires_at": expires_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.command_error import CommandError  # noqa: PLC0415
        from ..models.command_out_params import CommandOutParams  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        device_id = d.pop("device_id")

        connection_id = d.pop("connection_id")

        customer_id = d.pop("customer_id")

        command = d.pop("command")

        params = CommandOutParams.from_dict(d.pop("params"))

        wake = d.pop("wake")

        idempotent = d.pop("idempotent")

        status = CommandOutStatus(d.pop("status"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_error(data: object) -> CommandError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = CommandError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CommandError | None, data)

        error = _parse_error(d.pop("error"))

        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

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

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        command_out = cls(
            id=id,
            device_id=device_id,
            connection_id=connection_id,
            customer_id=customer_id,
            command=command,
            params=params,
            wake=wake,
            idempotent=idempotent,
            status=status,
            reason=reason,
            error=error,
            attempts=attempts,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
            expires_at=expires_at,
        )

        command_out.additional_properties = d
        return command_out

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
