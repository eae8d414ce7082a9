"""The per-domain security state of a vehicle: its own key, epoch, clock and what it remembers of each client.

VCSEC and infotainment are separate computers in the car; each has a key pair, a 16-byte epoch that changes at
every boot, and a clock that counts seconds from the start of that epoch. A simulated reboot draws a new epoch,
restarts the clock and forgets every client's counter.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import ec

from fleetgate.protocol.authentication import DOMAIN_INFOTAINMENT, DOMAIN_VEHICLE_SECURITY
from fleetgate.protocol.keys import private_key_from_seed

DOMAINS = (DOMAIN_VEHICLE_SECURITY, DOMAIN_INFOTAINMENT)
REPLAY_WINDOW = 32
_BITMAP_MASK = (1 << 64) - 1


@dataclass(slots=True)
class ClientCounter:
    """Highest counter seen from one client key in this epoch, and a bitmap of recent ones below it.

    Bit `i` of `window` is set when `counter - (i + 1)` has been accepted. Infotainment accepts a late counter
    once if it is at most `REPLAY_WINDOW` behind the highest (the link to the car may reorder messages); VCSEC
    only accepts counters above the highest.
    """

    counter: int = 0
    window: int = 0

    def accept_in_window(self, new: int) -> bool:
        if new > self.counter:
            shift = new - self.counter
            self.window = ((self.window << shift) | (1 << (shift - 1))) & _BITMAP_MASK if shift <= 64 else 0
            self.counter = new
            return True
        age = self.counter - new
        if age == 0 or age > REPLAY_WINDOW:
            return False
        bit = 1 << (age - 1)
        if self.window & bit:
            return False
        self.window |= bit
        return True

    def accept_increasing(self, new: int) -> bool:
        if new <= self.counter:
            return False
        self.counter = new
        return True


@dataclass
class DomainState:
    domain: int
    private_key: ec.EllipticCurvePrivateKey
    epoch: bytes
    epoch_started_at: float
    counter: int = 0  # the vehicle's own counter, stamped on encrypted responses
    clients: dict[bytes, ClientCounter] = field(default_factory=dict)

    def clock_time(self, now: float) -> int:
        return int(now - self.epoch_started_at)

    def client(self, public_key: bytes) -> ClientCounter:
        return self.clients.setdefault(public_key, ClientCounter())

    def client_counter(self, public_key: bytes) -> int:
        known = self.clients.get(public_key)
        return known.counter if known else 0

    def accept_counter(self, public_key: bytes, counter: int) -> bool:
        client = self.client(public_key)
        if self.domain == DOMAIN_VEHICLE_SECURITY:
            return client.accept_increasing(counter)
        return client.accept_in_window(counter)

    def next_counter(self) -> int:
        self.counter += 1
        return self.counter

    def reboot(self, rng: random.Random, now: float) -> None:
        self.epoch = rng.randbytes(16)
        self.epoch_started_at = now
        self.counter = 0
        self.clients.clear()


def provision(rng: random.Random, now: float) -> dict[int, DomainState]:
    # The clock starts a little into the epoch, as a car that booted a while ago would report.
    return {
        domain: DomainState(
            domain=domain,
            private_key=private_key_from_seed(rng.randbytes(40)),
            epoch=rng.randbytes(16),
            epoch_started_at=now - rng.randrange(600, 86_400),
        )
        for domain in DOMAINS
    }


def reboot(domains: dict[int, DomainState], rng: random.Random, now: float) -> None:
    for state in domains.values():
        state.reboot(rng, now)
