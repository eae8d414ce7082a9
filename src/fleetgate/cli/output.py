"""Where the command line writes: stdout carries only what a script captures (an id, a key), messages go to stderr."""

from __future__ import annotations

from rich.console import Console

console = Console()
notes = Console(stderr=True, highlight=False, soft_wrap=True)
