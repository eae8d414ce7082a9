"""The job engine's tasks, registered on each procrastinate app a process builds (`engine.job_app`): the app
exists only while a process runs, never at import."""

from __future__ import annotations

from typing import Protocol

import procrastinate

COMMANDS_QUEUE = "commands"
RUN_COMMAND = "fleetgate.run_command"
RUNNER = "fleetgate.runner"


class CommandRunner(Protocol):
    async def run(self, command_id: str) -> None: ...


def register_tasks(app: procrastinate.App) -> None:
    @app.task(name=RUN_COMMAND, queue=COMMANDS_QUEUE, pass_context=True)
    async def run_command(context: procrastinate.JobContext, command_id: str) -> None:
        runner: CommandRunner = context.additional_context[RUNNER]
        await runner.run(command_id)
