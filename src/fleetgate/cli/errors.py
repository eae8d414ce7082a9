"""One way for a command to fail: it raises `CliError`, and the root command, which every command runs under,
prints `Error: <message>` on stderr and exits with the error's code. The settings' own errors become one here too,
wherever a command built or checked its settings."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from fleetgate.cli.output import notes


class CliError(Exception):
    """A one-line reason the command cannot do its job, and the exit code that says so."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class ReportingGroup(TyperGroup):
    # The context's class lives in typer's private copy of click, so the override cannot name it.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            error = exc if isinstance(exc, CliError) else settings_error(exc)
            if error is None:
                raise
        notes.print(f"[red]Error:[/red] {escape(error.message)}")
        raise typer.Exit(error.exit_code)


def settings_error(exc: Exception) -> CliError | None:
    # Imported only on the way out of a failed command: `fleetgate --help` does not pay for pydantic.
    from pydantic import ValidationError

    from fleetgate.config import Settings, SettingsError

    if isinstance(exc, SettingsError):
        return CliError(str(exc))
    if not isinstance(exc, ValidationError) or exc.title != Settings.__name__:
        return None
    problems = []
    for error in exc.errors():
        field = "_".join(str(part) for part in error["loc"]).upper()
        problems.append(f"FLEETGATE_{field}: {error['msg']}" if field else str(error["msg"]))
    return CliError(f"invalid settings: {'; '.join(problems)}")
