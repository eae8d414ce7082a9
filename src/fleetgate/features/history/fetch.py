"""Reading a history from Tesla: the calls and what they answered, normalised. No database here.

Energy sites: one `calendar_history` (billed as data), with the range's dates and the site's time zone. Vehicles:
`dx/charging/history` for the car's VIN, page after page (each billed as data) up to `MAX_PAGES`, oldest first.
"""

from __future__ import annotations

from typing import Any

from fleetgate.features.history import normalize
from fleetgate.features.history.periods import Kind, Period, Range
from fleetgate.tesla.api import FleetApi
from fleetgate.tesla.errors import UpstreamError

PAGE_SIZE = 50
# 1,000 sessions in a range a request may ask for (a car charges a few times a day at most): more is not a car's.
MAX_PAGES = 20


async def fetch(api: FleetApi, kind: Kind, external_id: str, period: Period, span: Range) -> dict[str, Any]:
    if kind == "charging":
        return normalize.charging(await _charging_items(api, external_id, span), span)
    payload = await api.calendar_history(
        int(external_id),
        kind=kind,
        period=period,
        start_date=span.start.isoformat(),
        end_date=span.end.isoformat(),
        time_zone=span.zone_name,
    )
    return normalize.energy(payload, span, period) if kind == "energy" else normalize.backup(payload, span)


async def _charging_items(api: FleetApi, vin: str, span: Range) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in range(MAX_PAGES):
        answer = await api.charging_history(
            {
                "vin": vin,
                "startTime": span.start.isoformat(),
                "endTime": span.end.isoformat(),
                "pageNo": str(page),
                "pageSize": str(PAGE_SIZE),
                "sortBy": "chargeStartDateTime",
                "sortOrder": "ASC",
            }
        )
        data = answer.get("data")
        if not isinstance(data, list):
            raise UpstreamError.answer_lost("Tesla's charging history has no list of sessions", body=answer)
        items.extend(item for item in data if isinstance(item, dict))
        total = answer.get("totalResults")
        if len(data) < PAGE_SIZE or (isinstance(total, int) and len(items) >= total):
            break
    return items


async def site_time_zone(api: FleetApi, site_id: int) -> str:
    info = await api.site_info(site_id)
    name = info.get("installation_time_zone")
    return name if isinstance(name, str) else ""
