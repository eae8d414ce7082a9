"""How the demo prints: a numbered heading per step, the requests made, and the interesting part of each answer."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(", ", ": "))
    return str(value)


class Narrator:
    def __init__(self, console: Console) -> None:
        self.console = console

    def line(self, text: str, style: str = "") -> None:
        # Long URLs stay whole, on one line, so they can be copied from the terminal.
        self.console.print(escape(text), style=style or None, soft_wrap=True, highlight=False)

    def step(self, number: int, title: str) -> None:
        self.console.print()
        self.console.rule(f"[bold]Step {number}. {escape(title)}", align="left")

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> None:
        suffix = f" {json.dumps(body)}" if body is not None else ""
        self.line(f"→ {method} {path}{suffix}", "cyan")

    def answer(self, status: int, summary: str = "") -> None:
        self.line(f"← {status}{f' {summary}' if summary else ''}", "green" if status < 400 else "yellow")

    def person(self, who: str, text: str) -> None:
        """What a person does in a browser or on their phone, as opposed to the application's API calls."""
        self.line(f"  {who} › {text}", "magenta")

    def fact(self, name: str, value: Any) -> None:
        self.console.print(f"  {escape(name)}: [bold]{escape(shown(value))}[/bold]", soft_wrap=True, highlight=False)

    def facts(self, items: Iterable[tuple[str, Any]]) -> None:
        for name, value in items:
            self.fact(name, value)

    def ok(self, text: str) -> None:
        self.line(f"✓ {text}", "bold green")

    def note(self, text: str) -> None:
        self.line(f"  {text}", "dim")

    def table(self, title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        table = Table(title=escape(title), title_justify="left", show_edge=False, pad_edge=False)
        for column in columns:
            table.add_column(escape(column), overflow="fold")
        for row in rows:
            table.add_row(*(escape(shown(cell)) for cell in row))
        self.console.print(table)
