"""Reading the auth pages' form posts."""

from __future__ import annotations

from starlette.datastructures import FormData


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def fields(form: FormData, name: str) -> frozenset[str]:
    return frozenset(value for value in form.getlist(name) if isinstance(value, str))
