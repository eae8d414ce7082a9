from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_detail_remedy_type_0 import ErrorDetailRemedyType0
    from ..models.problem import Problem


T = TypeVar("T", bound="ErrorDetail")


@_attrs_define
class ErrorDetail:
    """
    Attributes:
        code (str): Machine-readable, stable: branch on this
        message (str): For a person: what went wrong and, where it helps, what to do
        request_id (str): Also in the X-Request-ID header and the gateway's logs
        remedy (ErrorDetailRemedyType0 | None | Unset): What fixes it: links, the access to ask for, a header
        details (list[Problem] | None | Unset): validation_error: each field and its problem
    """

    code: str
    message: str
    request_id: str
    remedy: ErrorDetailRemedyType0 | None | Unset = UNSET
    details: list[Problem] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.error_detail_remedy_type_0 import ErrorDetailRemedyType0  # noqa: PLC0415

        code = self.code

        message = self.message

        request_id = self.request_id

        remedy: dict[str, Any] | None | Unset
        if isinstance(self.remedy, Unset):
            remedy = UNSET
        elif isinstance(self.remedy, ErrorDetailRemedyType0):
            remedy = self.remedy.to_dict()
        else:
            remedy = self.remedy

        details: list[dict[str, Any]] | None | Unset
        if isinstance(self.details, Unset):
            details = UNSET
        elif isinstance(self.details, list):
            details = []
            for details_type_0_item_data in self.details:
                details_type_0_item = details_type_0_item_data.to_dict()
                details.append(details_type_0_item)

        else:
            details = self.details

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "request_id": request_id,
            }
        )
        if remedy is not UNSET:
            field_dict["remedy"] = remedy
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_detail_remedy_type_0 import ErrorDetailRemedyType0  # noqa: PLC0415
        from ..models.problem import Problem  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        request_id = d.pop("request_id")

        def _parse_remedy(data: object) -> ErrorDetailRemedyType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                remedy_type_0 = ErrorDetailRemedyType0.from_dict(data)

                return remedy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ErrorDetailRemedyType0 | None | Unset, data)

        remedy = _parse_remedy(d.pop("remedy", UNSET))

        def _parse_details(data: object) -> list[Problem] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                details_type_0 = []
                _details_type_0 = data
                for details_type_0_item_data in _details_type_0:
                    details_type_0_item = Problem.from_dict(details_type_0_item_data)

                    details_type_0.append(details_type_0_item)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Problem] | None | Unset, data)

        details = _parse_details(d.pop("details", UNSET))

        error_detail = cls(
            code=code,
            message=message,
            request_id=request_id,
            remedy=remedy,
            details=details,
        )

        error_detail.additional_properties = d
        return error_detail

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
