"""An API error as one sentence on a console page: what the API would answer, without its JSON."""

from __future__ import annotations

from typing import Any

from fleetgate.infra.errors import APIError


def problems_of(exc: APIError) -> list[str]:
    found: Any = exc.details.get("details")
    if not isinstance(found, list):
        return []
    return [f"{item.get('field', '')}: {item.get('problem', '')}" for item in found if isinstance(item, dict)]


def field_problems(exc: APIError) -> dict[str, str]:
    """What the error says of each command parameter, by the parameter's name (`params.percent` → `percent`), for
    the form to show beside its field."""
    found: Any = exc.details.get("details")
    items = [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []
    if isinstance(exc.details.get("field"), str):
        items.append({"field": exc.details["field"], "problem": exc.message})
    problems: dict[str, str] = {}
    for item in items:
        parts = str(item.get("field", "")).split(".")
        if len(parts) >= 2 and parts[0] == "params":
            problems.setdefault(parts[1], str(item.get("problem", "")))
    return problems


def error_text(exc: APIError) -> str:
    parts = [exc.message, *problems_of(exc)]
    remedy = exc.remedy or {}
    if isinstance(remedy.get("message"), str):
        parts.append(remedy["message"])
    return f"{' '.join(parts)} ({exc.code})"
