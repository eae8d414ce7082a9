"""What the client remembers of one (vehicle, domain) session: key, epoch, counter and the vehicle's clock."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from tesla_protocol.command import signatures_pb2 as sig


@dataclass
class VehicleSession:
    vin: str
    domain: int
    shared_key: bytes
    epoch: bytes
    counter: int
    clock_time: int
    synced_at: float  # local time when `clock_time` was the vehicle's clock
    # Set once the car has answered with an encrypted reply: from then on a plaintext reply is a downgrade.
    encrypts_responses: bool = False

    def vehicle_clock(self, now: float) -> int:
        return self.clock_time + int(now - self.synced_at)

    def next_counter(self) -> int:
        self.counter += 1
        return self.counter

    def adopt(self, info: sig.SessionInfo, now: float) -> None:
        """Resync from authenticated session info; within one epoch the counter never goes back."""
        if info.epoch != self.epoch:
            self.epoch = bytes(info.epoch)
            self.counter = info.counter
        else:
            self.counter = max(self.counter, info.counter)
        self.clock_time = info.clock_time
        self.synced_at = now


@dataclass
class SessionCache:
    """One session and one lock per (VIN, domain): commands to one car's domain are signed one at a time."""

    sessions: dict[tuple[str, int], VehicleSession] = field(default_factory=dict)
    locks: dict[tuple[str, int], asyncio.Lock] = field(default_factory=dict)

    def lock(self, vin: str, domain: int) -> asyncio.Lock:
        return self.locks.setdefault((vin, domain), asyncio.Lock())

    def get(self, vin: str, domain: int) -> VehicleSession | None:
        return self.sessions.get((vin, domain))

    def put(self, session: VehicleSession) -> None:
        self.sessions[(session.vin, session.domain)] = session

    def forget(self, vin: str, domain: int | None = None) -> None:
        for key in [k for k in self.sessions if k[0] == vin and (domain is None or k[1] == domain)]:
            del self.sessions[key]
