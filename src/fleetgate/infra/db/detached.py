"""ORM objects made from plain rows (`db.reads`, `db.writes`), in no session: what code written for the models reads
(views, access decisions), without the ORM's cost of loading them."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, inspect

from fleetgate.infra.db.base import Base

M = TypeVar("M", bound=Base)


@cache
def _attributes(model: type[Base]) -> tuple[tuple[str, ...], tuple[ColumnElement[Any], ...]]:
    attributes = inspect(model).column_attrs
    return tuple(attribute.key for attribute in attributes), tuple(attribute.columns[0] for attribute in attributes)


def columns_of(model: type[Base]) -> tuple[ColumnElement[Any], ...]:
    """Every column of the model, in the order `detached` takes them."""
    return _attributes(model)[1]


def detached(model: type[M], row: Sequence[Any]) -> M:
    """The object whose columns (`columns_of(model)`) are `row`."""
    return model(**dict(zip(_attributes(model)[0], row, strict=True)))
