"""Injected failures and latency, matched by path substring and VIN, for tests and demos."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Fault:
    id: int
    status: int | None
    path: str | None = None
    vin: str | None = None
    count: int | None = None  # None: until cleared
    latency_ms: int = 0
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)  # on an injected status: `Retry-After` on a 429, say
    # The request is carried out (and billed), then the connection closes before the answer is complete: what a
    # client sees when the car's reply is lost on the way back.
    lose_answer: bool = False
    hits: int = 0

    def matches(self, path: str) -> bool:
        if self.path is not None and self.path not in path:
            return False
        return self.vin is None or self.vin in path

    def render_body(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "vin": self.vin,
            "status": self.status,
            "count": self.count,
            "latency_ms": self.latency_ms,
            "body": self.body,
            "headers": self.headers,
            "lose_answer": self.lose_answer,
            "hits": self.hits,
        }


@dataclass(slots=True)
class FaultInjector:
    faults: list[Fault] = field(default_factory=list)
    _next_id: int = 1

    def add(self, **kwargs: Any) -> Fault:
        fault = Fault(id=self._next_id, **kwargs)
        self._next_id += 1
        self.faults.append(fault)
        return fault

    def clear(self) -> None:
        self.faults.clear()

    def take(self, path: str) -> Fault | None:
        """The first matching fault, with one use consumed."""
        for fault in self.faults:
            if fault.matches(path):
                fault.hits += 1
                if fault.count is not None and fault.hits >= fault.count:
                    self.faults.remove(fault)
                return fault
        return None
