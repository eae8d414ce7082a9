from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AttemptOut")


@_attrs_define
class AttemptOut:
    """
    Attributes:
        number (int):
        at (datetime.datetime):
        succeeded (bool):
        status_code (int | None): The endpoint's HTTP status; null when no answer came
        error (None | str): Why the attempt counts as failed
        response_body (None | str): The start of the endpoint's answer (at most 1 KB)
        duration_ms (int):
    """

    number: int
    at: datetime.datetime
    succeeded: bool
    status_code: int | None
    error: None | str
    response_body: None | str
    duration_ms: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        at = self.at.isoformat()

        succeeded = self.succeeded

        status_code: int | None
        status_code = self.status_code

        error: None | str
        error = self.error

        response_body: None | str
        response_body = self.response_body

        duration_ms = self.duration_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "number": number,
                "at": at,
                "succeeded": succeeded,
                "status_code": status_code,
                "error": error,
                "response_body": response_body,
                "duration_ms": duration_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        number = d.pop("number")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        succeeded = d.pop("succeeded")

        def _parse_status_code(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        status_code = _parse_status_code(d.pop("status_code"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_response_body(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        response_body = _parse_response_body(d.pop("response_body"))

        duration_ms = d.pop("duration_ms")

        attempt_out = cls(
            number=number,
            at=at,
            succeeded=succeeded,
            status_code=status_code,
            error=error,
            response_body=response_body,
            duration_ms=duration_ms,
        )

        attempt_out.additional_properties = d
        return attempt_out

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
