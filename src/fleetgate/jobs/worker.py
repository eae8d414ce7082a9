"""`fleetgate worker`: a process that runs commands from the job engine, beside others on other machines.

Each job names a command; the worker claims it in the commands table (as the in-process executor does), runs it,
and when the command is to run again later (a retry, a rate limit), defers a job for that moment. A job whose
command cannot start yet (an older command of the device still waits) is deferred again for later.

Beside the jobs, a housekeeping loop every third of a lease: claims whose lease ran out are recovered (the worker
died: back to the queue, or `outcome_unknown`), commands that waited past their expiry end, jobs of workers that
stopped sending heartbeats are ended (their device's lock would otherwise be held for ever), queued commands
without a job get one (the API process may have died between its commit and the defer), and this worker's leases
are renewed. Every step is conditional in the database, so several workers doing it at once is harmless.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

import procrastinate
from procrastinate.jobs import Status
from prometheus_client import start_http_server
from sqlalchemy import select

from fleetgate.config import Settings
from fleetgate.features.commands import lifecycle
from fleetgate.features.commands.runner import run_job
from fleetgate.features.commands.status import ACTIVE, QUEUED
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Command
from fleetgate.infra.runtime import Runtime, open_runtime
from fleetgate.jobs.background import worker_tasks
from fleetgate.jobs.engine import defer_command, job_app
from fleetgate.jobs.executor import log_settled, worker_name
from fleetgate.jobs.passes import Passes
from fleetgate.jobs.tasks import COMMANDS_QUEUE, RUNNER

log = logging.getLogger("fleetgate.worker")
# A queued command with no job for this long gets one (the job engine's own delay is well below it).
ORPHAN_AFTER = timedelta(seconds=10)
# A job that cannot start yet looks again after at least this long.
RECHECK_SECONDS = 1.0


@dataclass
class Worker:
    runtime: Runtime
    app: procrastinate.App
    lease_seconds: float
    name: str = field(default_factory=lambda: worker_name("worker"))
    running: set[str] = field(default_factory=set)

    async def run(self, command_id: str) -> None:
        sessions = self.runtime.sessionmaker
        # The job may be a retry of one whose worker died: its claim ends first, by the recovery rules.
        await lifecycle.recover(sessions, utcnow(), command_id)
        job = await lifecycle.claim(sessions, command_id, self.name, self.lease_seconds)
        if job is not None:
            self.running.add(command_id)
            try:
                await run_job(self.runtime, job, self.name)
            finally:
                self.running.discard(command_id)
        await self.follow_up(command_id)

    async def follow_up(self, command_id: str) -> None:
        """A job for the command's next try, if it is queued (a retry, or it could not start yet)."""
        async with self.runtime.sessionmaker() as session:
            command = await session.get(Command, command_id)
            if command is None or command.status != QUEUED:
                return
            older = await session.scalar(
                select(Command.not_before)
                .where(
                    Command.device_id == command.device_id,
                    Command.status.in_(ACTIVE),
                    Command.created_at < command.created_at,
                )
                .order_by(Command.created_at)
                .limit(1)
            )
        at = max(command.not_before, older or command.not_before, utcnow() + timedelta(seconds=RECHECK_SECONDS))
        await defer_command(self.app, command.id, command.device_id, at)

    async def tidy(self) -> None:
        sessions = self.runtime.sessionmaker
        now = utcnow()
        recovered = await lifecycle.recover(sessions, now)
        for settled in recovered:
            if settled.status == QUEUED:
                await defer_command(self.app, settled.command_id, settled.device_id)
        log_settled(recovered + await lifecycle.expire(sessions, now))
        stalled_jobs = await self.app.job_manager.get_stalled_jobs(
            queue=COMMANDS_QUEUE, seconds_since_heartbeat=self.lease_seconds
        )
        for stalled in stalled_jobs:
            # Its worker stopped. The command's lease and the recovery above decide what becomes of the command; the
            # job only still holds its device's lock, which the device's next job needs.
            log.warning("job %s belonged to a worker that stopped; ending it", stalled.id)
            await self.app.job_manager.finish_job(stalled, status=Status.FAILED, delete_job=False)
        async with sessions() as session:
            waiting = (
                await session.execute(
                    select(Command.id, Command.device_id).where(
                        Command.status == QUEUED, Command.not_before < now - ORPHAN_AFTER
                    )
                )
            ).all()
        for command_id, device_id in waiting:
            if await defer_command(self.app, command_id, device_id):
                log.info("command %s had no job waiting; deferred one", command_id)
        await lifecycle.renew(sessions, self.name, list(self.running), self.lease_seconds)


async def run_worker(
    settings: Settings, *, concurrency: int | None = None, metrics_address: tuple[str, int] | None = None
) -> None:
    """Until cancelled or interrupted (SIGINT/SIGTERM let running jobs finish). With `metrics_address`, this
    worker's Prometheus metrics are served there (`/metrics`, from a thread of prometheus_client's)."""
    async with open_runtime(settings) as runtime, job_app(settings.database_url) as app:
        worker = Worker(runtime, app, lease_seconds=settings.command_lease_seconds)
        if metrics_address is not None:
            host, port = metrics_address
            metrics_server, _ = start_http_server(port, addr=host, registry=runtime.metrics.registry)
        else:
            metrics_server = None
        log.info("worker %s: taking commands from the job queue", worker.name)
        # Often enough to renew leases well before they run out; recovery waits for a lease to run out anyway.
        housekeeping = Passes("worker housekeeping", worker.tidy, settings.command_lease_seconds / 3, log)
        try:
            async with worker_tasks(runtime, housekeeping):
                await app.run_worker_async(
                    queues=[COMMANDS_QUEUE],
                    concurrency=concurrency or settings.command_concurrency,
                    additional_context={RUNNER: worker},
                    name=worker.name,
                    wait=True,
                    # A worker silent for a lease is taken for dead (see `Worker.tidy`).
                    update_heartbeat_interval=settings.command_lease_seconds / 3,
                    stalled_worker_timeout=settings.command_lease_seconds,
                )
        finally:
            if metrics_server is not None:
                metrics_server.shutdown()
