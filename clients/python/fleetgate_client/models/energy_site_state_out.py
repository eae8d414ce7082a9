from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.energy_site_state_out_online_state_type_0 import EnergySiteStateOutOnlineStateType0
from ..models.energy_site_state_out_source import EnergySiteStateOutSource
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.energy_site_data import EnergySiteData
    from ..models.energy_site_state_out_field_times import EnergySiteStateOutFieldTimes
    from ..models.energy_site_state_out_raw_type_0 import EnergySiteStateOutRawType0


T = TypeVar("T", bound="EnergySiteStateOut")


@_attrs_define
class EnergySiteStateOut:
    """
    Attributes:
        device_id (str):
        fetched_at (datetime.datetime): When fleetgate received this state from Tesla
        age_seconds (float): Seconds since `fetched_at`
        source (EnergySiteStateOutSource): `cache`: stored state younger than `max_age`; `live`: read from Tesla now;
            `telemetry`: stored state whose newest fields the car streamed (Fleet Telemetry), served without a call to Tesla
            while the car's stream is open or when younger than `max_age`
        online_state (EnergySiteStateOutOnlineStateType0 | None): A vehicle's connectivity when read; null for energy
            sites
        data (EnergySiteData): An energy site's state from Tesla's `live_status` and `site_info`. Power in W, energy in
            Wh.
        raw (EnergySiteStateOutRawType0 | None | Unset): Tesla's answers as received, by endpoint: `vehicle_data` for
            vehicles; `live_status`, `site_info` and `site_info_fetched_at` for energy sites (site_info changes rarely: it
            is re-read every few minutes, and after a command to the site succeeds). Only with `?raw=true`; location fields
            are removed unless the connection may read the location
        field_times (EnergySiteStateOutFieldTimes | Unset): When the car measured each field it streamed (Fleet
            Telemetry) since the last read from Tesla, by its name in `data` (`location.heading_deg` for a member); the
            fields not listed are as of that read
        type_ (Literal['energy_site'] | Unset):  Default: 'energy_site'.
    """

    device_id: str
    fetched_at: datetime.datetime
    age_seconds: float
    source: EnergySiteStateOutSource
    online_state: EnergySiteStateOutOnlineStateType0 | None
    data: EnergySiteData
    raw: EnergySiteStateOutRawType0 | None | Unset = UNSET
    field_times: EnergySiteStateOutFieldTimes | Unset = UNSET
    type_: Literal["energy_site"] | Unset = "energy_site"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.energy_site_state_out_raw_type_0 import EnergySiteStateOutRawType0  # noqa: PLC0415

        device_id = self.device_id

        fetched_at = self.fetched_at.isoformat()

        age_seconds = self.age_seconds

        source = self.source.value

        online_state: None | str
        if isinstance(self.online_state, EnergySiteStateOutOnlineStateType0):
            online_state = self.online_state.value
        else:
            online_state = self.online_state

        data = self.data.to_dict()

        raw: dict[str, Any] | None | Unset
        if isinstance(self.raw, Unset):
            raw = UNSET
        elif isinstance(self.raw, EnergySiteStateOutRawType0):
            raw = self.raw.to_dict()
        else:
            raw = self.raw

        field_times: dict[str, Any] | Unset = UNSET
        if not isinstance(self.field_times, Unset):
            field_times = self.field_times.to_dict()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "device_id": device_id,
                "fetched_at": fetched_at,
                "age_seconds": age_seconds,
                "source": source,
                "online_state": online_state,
                "data": data,
            }
        )
        if raw is not UNSET:
            field_dict["raw"] = raw
        if field_times is not UNSET:
            field_dict["field_times"] = field_times
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.energy_site_data import EnergySiteData  # noqa: PLC0415
        from ..models.energy_site_state_out_field_times import EnergySiteStateOutFieldTimes  # noqa: PLC0415
        from ..models.energy_site_state_out_raw_type_0 import EnergySiteStateOutRawType0  # noqa: PLC0415

        d = dict(src_dict)
        device_id = d.pop("device_id")

        fetched_at = datetime.datetime.fromisoformat(d.pop("fetched_at"))

        age_seconds = d.pop("age_seconds")

        source = EnergySiteStateOutSource(d.pop("source"))

        def _parse_online_state(data: object) -> EnergySiteStateOutOnlineStateType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                online_state_type_0 = EnergySiteStateOutOnlineStateType0(data)

                return online_state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EnergySiteStateOutOnlineStateType0 | None, data)

        online_state = _parse_online_state(d.pop("online_state"))

        data = EnergySiteData.from_dict(d.pop("data"))

        def _parse_raw(data: object) -> EnergySiteStateOutRawType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                raw_type_0 = EnergySiteStateOutRawType0.from_dict(data)

                return raw_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EnergySiteStateOutRawType0 | None | Unset, data)

        raw = _parse_raw(d.pop("raw", UNSET))

        _field_times = d.pop("field_times", UNSET)
        field_times: EnergySiteStateOutFieldTimes | Unset
        if isinstance(_field_times, Unset):
            field_times = UNSET
        else:
            field_times = EnergySiteStateOutFieldTimes.from_dict(_field_times)

        type_ = cast(Literal["energy_site"] | Unset, d.pop("type", UNSET))
        if type_ != "energy_site" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'energy_site', got '{type_}'")

        energy_site_state_out = cls(
            device_id=device_id,
            fetched_at=fetched_at,
            age_seconds=age_seconds,
            source=source,
            online_state=online_state,
            data=data,
            raw=raw,
            field_times=field_times,
            type_=type_,
        )

        energy_site_state_out.additional_properties = d
        return energy_site_state_out

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
