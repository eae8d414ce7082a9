"""The database URL as psycopg takes it, for the connections fleetgate opens without SQLAlchemy (the reader's pool,
the listener for wake-ups)."""

from __future__ import annotations

from sqlalchemy.engine import make_url


def conninfo(database_url: str) -> str:
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
