"""The Tesla simulator for `telemetry.py`, in a process of its own, with its cars' streaming paced by the bench.

The simulator's `fleetgate simulator` runs its streaming cars every second of real time. Here the bench chooses:
in real time (`PUT /bench/telemetry/pace {"realtime": true}`), or one pass at a time (`POST /bench/telemetry/tick`)
after moving the simulated clock, so that a simulated day passes in seconds. `GET /bench/telemetry/sent` tells,
per car, the records it made (each distinct transaction id, whether acked, waiting or refused) and the acks it got.

Run by `telemetry.py`: `python bench/telemetry_sim.py --port PORT`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from typing import Any

import uvicorn
from fastapi import APIRouter, FastAPI, HTTPException
from pydantic import BaseModel

from fleetgate.simulator.app import create_simulator_app
from fleetgate.simulator.telemetry.streamer import TICK_SECONDS, Streamers

HOST = "127.0.0.1"
# A tick waits at most this long for the receiver's acks, so that a quick next tick does not resend what is in flight.
ACK_PATIENCE_SECONDS = 5.0
ACK_POLL_SECONDS = 0.005


class Pace(BaseModel):
    realtime: bool


def create_bench_simulator(seed: int) -> FastAPI:
    app = create_simulator_app(seed=seed)
    streamers = Streamers(app.state.world)
    app.state.streamers = streamers  # what `GET /sim/telemetry/streams` shows
    paced: dict[str, asyncio.Task[None]] = {}
    router = APIRouter(prefix="/bench/telemetry")

    async def realtime() -> None:
        while True:
            started = time.monotonic()
            with contextlib.suppress(Exception):
                await streamers.tick()
            await asyncio.sleep(max(0.0, TICK_SECONDS - (time.monotonic() - started)))

    @router.put("/pace")
    async def pace(body: Pace) -> dict[str, bool]:
        running = paced.pop("realtime", None)
        if running is not None:
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
        if body.realtime:
            paced["realtime"] = asyncio.create_task(realtime(), name="bench-streaming")
        return {"realtime": body.realtime}

    @router.post("/tick")
    async def tick() -> dict[str, int]:
        if "realtime" in paced:
            raise HTTPException(409, "the cars stream in real time")
        await streamers.tick()
        for _ in range(int(ACK_PATIENCE_SECONDS / ACK_POLL_SECONDS)):
            if not any(stream.unacked for stream in streamers.streams.values() if stream.connected):
                break
            await asyncio.sleep(ACK_POLL_SECONDS)
        return {"streams": len(streamers.streams)}

    @router.get("/sent")
    async def sent() -> dict[str, Any]:
        cars: dict[str, dict[str, int]] = {}
        for stream in streamers.streams.values():
            refused = {txid for txid, _ in stream.refused}
            made = set(stream.acked) | set(stream.unacked) | refused
            cars[stream.vin] = {
                "records": len(made),
                "acks": len(stream.acked),
                "unacked": len(stream.unacked),
                "refused": len(refused),
                "connected": int(stream.connected),
            }
        return {"cars": cars}

    app.include_router(router)
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    uvicorn.run(create_bench_simulator(args.seed), host=HOST, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
