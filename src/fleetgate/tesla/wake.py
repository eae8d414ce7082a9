"""Waking a car and waiting until it is online: the one way, for a state read with `wake=true` and for a command that
found the car asleep (or `wake_up` itself).

One `wake_up` (a billed wake; the car then stays awake for a while, using battery), then the free
`GET /vehicles/{vin}` is polled with growing pauses until the car says `online`, within `WakePolicy.timeout_seconds`
(Tesla says a car takes 10 to 60 s to wake). A car still not online then raises `NotOnline(timed_out=True)`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal

from fleetgate.tesla.api import FleetApi

OnlineState = Literal["online", "asleep", "offline"]
ONLINE_STATES: tuple[OnlineState, ...] = ("online", "asleep", "offline")


@dataclass(frozen=True, slots=True)
class WakePolicy:
    """How long a wake waits for the car; the poll is free, so it can be often."""

    timeout_seconds: float = 60.0
    first_pause_seconds: float = 0.5
    max_pause_seconds: float = 5.0
    backoff: float = 1.5


class NotOnline(Exception):
    """The car is asleep or offline: not woken (`woken` false), or woken but not online in time (`timed_out`)."""

    def __init__(
        self, online_state: OnlineState, *, woken: bool, timed_out: bool = False, reason: str | None = None
    ) -> None:
        super().__init__(online_state)
        self.online_state: OnlineState = online_state
        self.woken = woken
        self.timed_out = timed_out
        self.reason = reason


def online_state(vehicle: Any) -> OnlineState | None:
    """`state` of a vehicle object (`GET /vehicles/{vin}`, `wake_up`, `vehicle_data`); None when missing or unknown."""
    value = vehicle.get("state") if isinstance(vehicle, dict) else None
    word = value.strip().lower() if isinstance(value, str) else None
    return next((state for state in ONLINE_STATES if state == word), None)


async def wake(api: FleetApi, vin: str, policy: WakePolicy) -> None:
    """Returns once the car is online; `NotOnline(timed_out=True)` if it is not within the policy's time."""
    online = online_state(await api.wake_up(vin))
    if online == "online":
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + policy.timeout_seconds
    pause = policy.first_pause_seconds
    while (remaining := deadline - loop.time()) > 0:
        await asyncio.sleep(min(pause, remaining))
        online = online_state(await api.vehicle(vin)) or online
        if online == "online":
            return
        pause = min(pause * policy.backoff, policy.max_pause_seconds)
    raise NotOnline(online or "asleep", woken=True, timed_out=True)
