"""Steps 1 to 3: a webhook endpoint, a connection made without vehicle commands, and the reconnect that completes it."""

from __future__ import annotations

from typing import Any

from fleetgate.devtools.demo.api import require
from fleetgate.devtools.demo.context import Demo
from fleetgate.devtools.demo.end_user import consent
from fleetgate.devtools.devserver.banner import DEMO_ACCESS
from fleetgate.features.access.capabilities import CAPABILITY_NAMES
from fleetgate.features.access.scopes import ACCESS_BY_NAME

LEFT_OUT = "vehicle_commands"
LEFT_OUT_SCOPE = ACCESS_BY_NAME[LEFT_OUT].scope


async def register_webhook(demo: Demo) -> None:
    demo.say.step(1, "Register a webhook endpoint")
    demo.say.note(f"the application's receiver listens on {demo.receiver.url} and verifies every signature")
    created = await demo.gateway.call(
        "POST", "/v1/webhook-endpoints", {"url": demo.receiver.url, "events": ["*"]}, expect=201
    )
    require(str(created.get("secret", "")).startswith("whsec_"), "the new endpoint came without its secret")
    demo.receiver.secret = created["secret"]
    demo.endpoint_id = created["id"]
    demo.say.facts([("endpoint", created["id"]), ("events", created["events"])])
    demo.say.fact("secret", "whsec_… (shown this once; handed to the receiver, not printed)")


async def connect_without_commands(demo: Demo) -> None:
    demo.say.step(2, f"Connect the Tesla account, leaving {LEFT_OUT_SCOPE} unticked")
    customer = await demo.gateway.call(
        "POST", "/v1/customers", {"reference_id": "demo-driver", "name": "Demo Driver", "email": demo.email}, expect=201
    )
    session = await demo.gateway.call(
        "POST", "/v1/connect-sessions", {"customer_id": customer["id"], "access": list(DEMO_ACCESS)}, expect=201
    )
    demo.say.facts([("session", session["id"]), ("url", session["url"]), ("status", session["status"])])
    await consent(demo.browser, session, email=demo.email, unticked=frozenset({LEFT_OUT_SCOPE}), say=demo.say)

    completed = await completed_session(demo, session["id"])
    demo.connection_id = str(completed["connection_id"])
    connection = await demo.gateway.get(f"/v1/connections/{demo.connection_id}")
    show_connection(demo, connection)
    require(
        connection["missing_access"] == [LEFT_OUT],
        f"missing_access should be [{LEFT_OUT!r}], not {connection['missing_access']}",
    )
    remedies = connection["remedies"]
    demo.say.fact("remedy: reconnect from the backend (POST)", remedies["reconnect_api_url"])
    demo.say.fact("remedy: reconnect link for the user", remedies["reconnect_link"])
    demo.say.fact("remedy: manage access at Tesla", remedies["manage_access_url"])

    devices = await demo.gateway.every("/v1/devices", {"connection_id": demo.connection_id})
    demo.know_devices(devices)
    capability_table(demo, devices)
    refused = next(d for d in devices if d["id"] == demo.devices["paired"])["capabilities"]["commands"]
    require(
        not refused["available"] and refused.get("reason") == "missing_scope",
        f"the paired car's commands capability should be refused for a missing scope: {refused}",
    )
    demo.say.line(f"The {model_of(demo, 'paired')}'s commands capability is refused:", "bold")
    demo.say.facts([("reason", refused["reason"]), ("remedy", refused.get("remedy"))])


async def reconnect_with_everything(demo: Demo) -> None:
    demo.say.step(3, "Reconnect and grant everything")
    session = await demo.gateway.call("POST", f"/v1/connections/{demo.connection_id}/reconnect", expect=201)
    demo.say.facts([("session", session["id"]), ("reconnect", session.get("reconnect")), ("url", session["url"])])
    await consent(demo.browser, session, email=demo.email, unticked=frozenset(), say=demo.say)
    completed = await completed_session(demo, session["id"])
    require(
        completed["connection_id"] == demo.connection_id,
        f"the reconnect made connection {completed['connection_id']} instead of updating {demo.connection_id}",
    )
    connection = await demo.gateway.get(f"/v1/connections/{demo.connection_id}")
    show_connection(demo, connection)
    require(connection["missing_access"] == [], f"access is still missing: {connection['missing_access']}")
    require(connection["status"] == "active", f"the connection is {connection['status']}, not active")
    demo.say.ok("access complete: nothing missing")
    devices = await demo.gateway.every("/v1/devices", {"connection_id": demo.connection_id})
    capability_table(demo, devices)


async def completed_session(demo: Demo, session_id: str) -> dict[str, Any]:
    session = await demo.gateway.get(f"/v1/connect-sessions/{session_id}")
    require(session["status"] == "completed", f"the connect session is {session['status']}: {session.get('error')}")
    demo.say.facts([("status", session["status"]), ("connection", session["connection_id"])])
    return session


def show_connection(demo: Demo, connection: dict[str, Any]) -> None:
    demo.say.facts(
        [
            ("connection status", connection["status"]),
            ("granted scopes", " ".join(connection["granted_scopes"])),
            ("missing_access", connection["missing_access"] or "none"),
        ]
    )


def model_of(demo: Demo, role: str) -> str:
    paired = role == "paired"
    return next(vehicle.model for vehicle in demo.account.vehicles if vehicle.paired == paired)


def capability_table(demo: Demo, devices: list[dict[str, Any]]) -> None:
    """One row per capability, one column per device: the paired car, the other, then the site."""
    order = [demo.devices[role] for role in ("paired", "unpaired", "site")]
    devices = sorted(devices, key=lambda device: order.index(device["id"]) if device["id"] in order else len(order))
    names = [name for name in CAPABILITY_NAMES if any(name in device["capabilities"] for device in devices)]
    rows = []
    for name in names:
        cells = []
        for device in devices:
            capability = device["capabilities"].get(name)
            cells.append(
                "" if capability is None else "yes" if capability["available"] else f"no: {capability['reason']}"
            )
        rows.append([name, *cells])
    columns = [str(device.get("display_name") or device.get("vin") or device["type"]) for device in devices]
    demo.say.table("Capabilities", ["capability", *columns], rows)
