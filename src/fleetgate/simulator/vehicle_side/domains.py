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


@dataclass(slots=True)
class ClientCounter:
    """Highest counter seen from one client key in this epoch, and a bitmap of recent ones below it."""

    counter: int = 0
    window: int = 0


@dataclass
class DomainState:
    domain: int
    private_key: ec.EllipticCurvePrivateKey
    epoch: bytes
    epoch_started_at: float
    counter: int = 0  # the vehicle's own counter, sent in session info and encrypted responses
    clients: dict[bytes, ClientCounter] = field(default_factory=dict)

    def clock_time(self, now: float) -> int:
        return int(now - self.epoch_started_at)

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
