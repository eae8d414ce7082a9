"""Which of Tesla's billing categories a Fleet API call falls in, and which device it is counted against.

Tesla prices calls by category (data, commands, wakes) and rate-limits them per device: per VIN for vehicles, per
energy site id for sites. The categories are those the simulator bills and Tesla's endpoint pages name:
`vehicle_data` is data, `wake_up` is wakes, REST commands and `signed_command` are commands; an energy site's reads
are data and its settings (POSTs) are commands; Fleet Telemetry's config calls are data, and so is the charging
history (`dx/charging/history`: its VIN is a query parameter, so it counts against no device's budget). The vehicle
list, one vehicle's summary (the cheap state check), `products`, `fleet_status`, the user and partner endpoints have
no category: Tesla does not charge for them and they have no per-device budget.

Billing: every answer under 500 is billable, 500 and above is not. A call that got no answer (a timeout, a lost
connection, a process killed while it waited) counts as billed: it may have reached Tesla, which bills what it
served whether or not the answer came back. Only a request that never left (the connection was refused) does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

DATA, COMMANDS, WAKES = "data", "commands", "wakes"
# Not a call: each datum a car streams through Fleet Telemetry (`telemetry_records`, counted by the receiver).
STREAMING_SIGNALS = "streaming_signals"
CATEGORIES = (DATA, COMMANDS, WAKES, STREAMING_SIGNALS)
# Path segments that are names (a command, an endpoint), not ids: kept as they are in endpoint templates.
NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
API = "/api/1"
# Fleet Telemetry's config calls: Tesla's pages name no price we could confirm; they are counted as data, as the
# simulator bills them, so that a cost estimate errs high rather than low (a config's checks run every few minutes).
TELEMETRY_CONFIG_JWS = "fleet_telemetry_config_jws"
TELEMETRY_READS = frozenset({"fleet_telemetry_config", "fleet_telemetry_errors"})
CHARGING_HISTORY = ["dx", "charging", "history"]


@dataclass(frozen=True, slots=True)
class CallKind:
    """What a call is, for the ledger: its billing category (None: not billed), the device key it counts against
    (a VIN or an energy site id; None for account-level calls) and its endpoint with the ids taken out."""

    category: str | None
    device_key: str | None
    endpoint: str


def is_billable(status: int | None) -> bool:
    return status is not None and status < 500


def classify(method: str, path: str) -> CallKind:
    method = method.upper()
    segments = [unquote(part) for part in path.split("?", 1)[0].strip("/").split("/") if part]
    if segments[:2] != ["api", "1"]:
        return CallKind(None, None, _template("", segments))
    rest = segments[2:]
    if rest[:1] == ["vehicles"]:
        return _vehicle(method, rest[1:])
    if rest[:1] == ["energy_sites"] and len(rest) >= 2:
        return _energy_site(method, rest[1], rest[2:])
    if rest == CHARGING_HISTORY:
        return CallKind(DATA, None, f"{API}/dx/charging/history")
    # products, users/*, partner_accounts*, the other dx/*: account level, not billed.
    return CallKind(None, None, _template(API, rest))


def _vehicle(method: str, rest: list[str]) -> CallKind:
    if not rest:
        return CallKind(None, None, f"{API}/vehicles")
    tag, tail = rest[0], rest[1:]
    if not tail and method == "POST" and tag == TELEMETRY_CONFIG_JWS:
        return CallKind(DATA, None, f"{API}/vehicles/{tag}")
    if not tail and method == "POST" and NAME.match(tag):
        # POST /vehicles/fleet_status…: account level, not billed.
        return CallKind(None, None, f"{API}/vehicles/{tag}")
    base = f"{API}/vehicles/{{vehicle_tag}}"
    if not tail:
        return CallKind(None, tag, base)
    action = tail[0]
    if action == "vehicle_data" and len(tail) == 1:
        return CallKind(DATA, tag, f"{base}/vehicle_data")
    if action == "wake_up" and len(tail) == 1:
        return CallKind(WAKES, tag, f"{base}/wake_up")
    if action == "signed_command" and len(tail) == 1:
        return CallKind(COMMANDS, tag, f"{base}/signed_command")
    if action in TELEMETRY_READS and len(tail) == 1:
        return CallKind(DATA, tag, f"{base}/{action}")
    if action == "command" and len(tail) == 2:
        name = tail[1] if NAME.match(tail[1]) else "{command}"
        return CallKind(COMMANDS, tag, f"{base}/command/{name}")
    # nearby_charging_sites, release_notes, drivers…: Tesla names no price for them; counted, not billed.
    return CallKind(None, tag, _template(base, tail))


def _energy_site(method: str, site_id: str, tail: list[str]) -> CallKind:
    base = f"{API}/energy_sites/{{energy_site_id}}"
    if not tail:
        return CallKind(None, site_id, base)
    # Reads (site_info, live_status, calendar_history, telemetry_history) are data; settings are commands.
    category = DATA if method == "GET" else COMMANDS
    return CallKind(category, site_id, _template(base, tail))


def _template(base: str, tail: list[str]) -> str:
    return "/".join([base, *(part if NAME.match(part) else "{id}" for part in tail)])[:200]
