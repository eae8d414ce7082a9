from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.command_in_if_key_missing import CommandInIfKeyMissing
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.command_in_params import CommandInParams


T = TypeVar("T", bound="CommandIn")


@_attrs_define
class CommandIn:
    """
    Attributes:
        command (str): A name from `GET /v1/commands/catalog`
        params (CommandInParams | Unset): As the catalogue's `params_schema` says
        wake (bool | Unset): Wake the car if it is asleep (a billed wake, at most one per attempt); false fails the
            command with `vehicle_asleep` instead Default: True.
        expires_in (int | Unset): Seconds from submission after which a command that has not started ends `expired`
            Default: 600.
        if_key_missing (CommandInIfKeyMissing | Unset): For a command that needs the app's virtual key, to a car that
            requires it and that Tesla said lacks it (the device's `virtual_key.paired` is false): `refuse` answers `409
            virtual_key_not_paired` with the pairing link, nothing queued, sent or billed (when Tesla said so long ago, an
            hour by default, it is asked again first, at no charge); `try` queues the command all the same, and the car
            refuses it unless the key was paired meanwhile (after a billed wake if it is asleep). Without effect on other
            commands and cars Default: CommandInIfKeyMissing.REFUSE.
    """

    command: str
    params: CommandInParams | Unset = UNSET
    wake: bool | Unset = True
    expires_in: int | Unset = 600
    if_key_missing: CommandInIfKeyMissing | Unset = CommandInIfKeyMissing.REFUSE

    def to_dict(self) -> dict[str, Any]:
        command = self.command

        params: dict[str, Any] | Unset = UNSET
        if not isinstance(self.params, Unset):
            params = self.params.to_dict()

        wake = self.wake

        expires_in = self.expires_in

        if_key_missing: str | Unset = UNSET
        if not isinstance(self.if_key_missing, Unset):
            if_key_missing = self.if_key_missing.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "command": command,
            }
        )
        if params is not UNSET:
            field_dict["params"] = params
        if wake is not UNSET:
            field_dict["wake"] = wake
        if expires_in is not UNSET:
            field_dict["expires_in"] = expires_in
        if if_key_missing is not UNSET:
            field_dict["if_key_missing"] = if_key_missing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.command_in_params import CommandInParams  # noqa: PLC0415

        d = dict(src_dict)
        command = d.pop("command")

        _params = d.pop("params", UNSET)
        params: CommandInParams | Unset
        if isinstance(_params, Unset):
            params = UNSET
        else:
            params = CommandInParams.from_dict(_params)

        wake = d.pop("wake", UNSET)

        expires_in = d.pop("expires_in", UNSET)

        _if_key_missing = d.pop("if_key_missing", UNSET)
        if_key_missing: CommandInIfKeyMissing | Unset
        if isinstance(_if_key_missing, Unset):
            if_key_missing = UNSET
        else:
            if_key_missing = CommandInIfKeyMissing(_if_key_missing)

        command_in = cls(
            command=command,
            params=params,
            wake=wake,
            expires_in=expires_in,
            if_key_missing=if_key_missing,
        )

        return command_in
