from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.command_error_remedy_type_0 import CommandErrorRemedyType0


T = TypeVar("T", bound="CommandError")


@_attrs_define
class CommandError:
    """
    Attributes:
        code (str):
        message (str):
        remedy (CommandErrorRemedyType0 | None | Unset):
    """

    code: str
    message: str
    remedy: CommandErrorRemedyType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.command_error_remedy_type_0 import CommandErrorRemedyType0  # noqa: PLC0415

        code = self.code

        message = self.message

        remedy: dict[str, Any] | None | Unset
        if isinstance(self.remedy, Unset):
            remedy = UNSET
        elif isinstance(self.remedy, CommandErrorRemedyType0):
            remedy = self.remedy.to_dict()
        else:
            remedy = self.remedy

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if remedy is not UNSET:
            field_dict["remedy"] = remedy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.command_error_remedy_type_0 import CommandErrorRemedyType0  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        def _parse_remedy(data: object) -> CommandErrorRemedyType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                remedy_type_0 = CommandErrorRemedyType0.from_dict(data)

                return remedy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CommandErrorRemedyType0 | None | Unset, data)

        remedy = _parse_remedy(d.pop("remedy", UNSET))

        command_error = cls(
            code=code,
            message=message,
            remedy=remedy,
        )

        command_error.additional_properties = d
        return command_error

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
