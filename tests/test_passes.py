"""Background passes (`jobs.passes`): a failed pass is logged and the next one comes; a wake or the pass's own answer
brings the next one early; leaving the block cancels the task, and waits for it without swallowing a cancellation
of its own."""

from __future__ import annotations

import asyncio
import logging

import pytest

from fleetgate.jobs.passes import Passes, in_background

log = logging.getLogger("tests.passes")
HOUR = 3600.0
# Only keeps a broken test from hanging.
BOUND = 30.0


class Counter:
    def __init__(self, until: int) -> None:
        self.count = 0
        self.until = until
        self.reached = asyncio.Event()

    def tick(self) -> None:
        self.count += 1
        if self.count >= self.until:
            self.reached.set()


async def test_a_failed_pass_is_logged_under_the_tasks_name_and_the_next_one_comes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    passes = Counter(until=2)

    async def flaky() -> None:
        passes.tick()
        if passes.count == 1:
            raise RuntimeError("the database went away")

    async with in_background(Passes("flaky task", flaky, 0.01, log)) as task:
        await asyncio.wait_for(passes.reached.wait(), BOUND)
        assert task is not None
        assert not task.done()
    failed = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert [record.getMessage() for record in failed] == ["flaky task: the pass failed; next one in 0.01 s"]
    assert failed[0].exc_info is not None


async def test_a_wake_brings_the_next_pass_before_its_interval() -> None:
    wake = asyncio.Event()
    passes = Counter(until=2)
    first = asyncio.Event()

    async def run_pass() -> None:
        passes.tick()
        first.set()

    async with in_background(Passes("woken", run_pass, HOUR, log, wake=wake)):
        await asyncio.wait_for(first.wait(), BOUND)
        wake.set()
        await asyncio.wait_for(passes.reached.wait(), BOUND)


async def test_a_pass_says_when_it_wants_the_next_one() -> None:
    passes = Counter(until=3)

    async def run_pass() -> float:
        passes.tick()
        return 0.0 if passes.count < 3 else HOUR

    async with in_background(Passes("eager", run_pass, HOUR, log)):
        await asyncio.wait_for(passes.reached.wait(), BOUND)


async def test_the_first_pass_waits_for_the_first_delay() -> None:
    ran = asyncio.Event()

    async def run_pass() -> None:
        ran.set()

    async with in_background(Passes("later", run_pass, 0.01, log, first_delay=HOUR)) as task:
        for _ in range(10):  # without a first delay, the pass would have run at the task's first step
            await asyncio.sleep(0)
        assert not ran.is_set()
    assert task is not None
    assert task.cancelled()


async def test_an_interval_of_zero_runs_nothing() -> None:
    async def run_pass() -> None:
        raise AssertionError("no pass should run")

    async with in_background(Passes("off", run_pass, 0, log)) as task:
        assert task is None


async def test_leaving_waits_for_the_task_yet_the_caller_can_still_be_cancelled() -> None:
    running, stopping, leave, release = asyncio.Event(), asyncio.Event(), asyncio.Event(), asyncio.Event()
    tasks: list[asyncio.Task[None] | None] = []

    async def slow_to_stop() -> None:
        running.set()
        try:
            await asyncio.sleep(HOUR)
        except asyncio.CancelledError:
            stopping.set()
            await release.wait()
            raise

    async def caller() -> None:
        async with in_background(Passes("slow to stop", slow_to_stop, HOUR, log)) as task:
            tasks.append(task)
            await leave.wait()

    outer = asyncio.create_task(caller())
    await asyncio.wait_for(running.wait(), BOUND)
    leave.set()
    await asyncio.wait_for(stopping.wait(), BOUND)
    # The caller now waits for the task to end; a cancellation aimed at the caller reaches it all the same.
    outer.cancel()
    await asyncio.wait([outer], timeout=BOUND)
    assert outer.cancelled()
    (inner,) = tasks
    assert inner is not None
    assert not inner.done()
    release.set()
    await asyncio.wait([inner], timeout=BOUND)
    assert inner.cancelled()


async def test_a_cancellation_that_meets_a_wake_still_ends_the_task() -> None:
    # Python 3.11's `asyncio.wait_for` drops a cancellation that arrives as the awaited event fires: the task
    # would then run on, and whoever waits for it to end (a process shutting down) would wait for ever.
    wake = asyncio.Event()
    first = asyncio.Event()

    async def run_pass() -> None:
        first.set()

    task = asyncio.create_task(Passes("cancelled while woken", run_pass, HOUR, log, wake=wake).run())
    await asyncio.wait_for(first.wait(), BOUND)
    await asyncio.sleep(0)  # the task is now waiting for its next pass
    wake.set()
    task.cancel()
    await asyncio.wait([task], timeout=BOUND)
    assert task.cancelled()
