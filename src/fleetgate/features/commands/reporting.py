"""What a command's end tells the rest of the gateway, in the transaction that ends it: a `command.*` event, and
through it the webhooks; and, once that transaction commits, this process's count of ended commands (`ENDED`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from fleetgate.features.commands.status import TERMINAL
from fleetgate.features.commands.views import command_out
from fleetgate.features.events.service import record_event_in
from fleetgate.infra.db.after_commit import Topic, listening
from fleetgate.infra.db.writes import Writes
from fleetgate.infra.models import Command
from fleetgate.infra.runtime import Runtime


class Ended(NamedTuple):
    command_id: str
    command: str
    status: str


# Every end goes through here, whoever ends the command: run, cancelled, expired, or recovered as failed.
ENDED: Topic[Ended] = Topic("command ended")


async def report_settled(writes: Writes, command: Command) -> None:
    if command.status not in TERMINAL:
        return
    writes.announce(ENDED, Ended(command.id, command.command, command.status))
    data = command_out(command).model_dump(mode="json")
    await record_event_in(writes, workspace_id=command.workspace_id, type=f"command.{command.status}", data=data)


@contextmanager
def counting_ends(runtime: Runtime) -> Iterator[None]:
    """This process's `commands_ended` metric counts the ends its transactions commit, for the duration of the block."""

    def count(ended: Ended) -> None:
        runtime.metrics.commands_ended.labels(ended.command, ended.status).inc()

    with listening((runtime.sessionmaker, runtime.side_sessionmaker), ENDED, count):
        yield
