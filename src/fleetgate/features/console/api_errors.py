"""An API error as one sentence on a console page: what the API would answer, without its JSON."""

from __future__ import annotations

from typing import Any

from fleetgate.infra.errors import APIError


def problems_of(exc: APIError) -> list[str]:
    found: Any = exc.details.get("details")
    if not isinstance(found, list):
        return []
    return [f"{item.get('field', '')}: {item.get('problem', '')}" for item in found if isinstance(item, dict)]


def error_text(exc: APIError) -> str:
    parts = [exc.message, *problems_of(exc)]
    remedy = exc.remedy or {}
    if isinstance(remedy.get("message"), str):
        parts.append(remedy["message"])
    return f"{' '.join(parts)} ({exc.code})"
