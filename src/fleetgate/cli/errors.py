"""How a command that cannot do its job says why."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import typer
from rich.markup import escape

from fleetgate.cli.output import notes

if TYPE_CHECKING:
    from fleetgate.config import Settings


class CliError(Exception):
    """A one-line reason the command cannot do its job."""


def fail(message: str, code: int = 1) -> NoReturn:
    notes.print(f"[red]Error:[/red] {escape(message)}")
    raise typer.Exit(code)


def load_settings() -> Settings:
    from pydantic import ValidationError

    from fleetgate.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = "_".join(str(part) for part in error["loc"]).upper()
            problems.append(f"FLEETGATE_{field}: {error['msg']}" if field else str(error["msg"]))
        fail(f"invalid settings: {'; '.join(problems)}")
