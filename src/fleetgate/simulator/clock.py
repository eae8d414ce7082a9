"""Simulated time: real time since start, plus whatever a test or demo advanced it by."""

from __future__ import annotations

import time


class SimClock:
    def __init__(self, start: float | None = None, *, realtime: bool = True) -> None:
        self._start = time.time() if start is None else start
        self._origin = time.monotonic()
        self._advanced = 0.0
        self._realtime = realtime

    def now(self) -> float:
        elapsed = time.monotonic() - self._origin if self._realtime else 0.0
        return self._start + elapsed + self._advanced

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("the simulated clock only moves forward")
        self._advanced += seconds
        return self.now()
