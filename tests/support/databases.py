"""Real databases for gateway tests: a fresh SQLite file, or a fresh PostgreSQL database, per test.

Both start from a template migrated once per run with the project's Alembic migrations, so every test runs on the
schema users get, and copying the template is cheap.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from fleetgate.infra.db.migrate import upgrade_sync

POSTGRES_ENV = "FLEETGATE_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "FLEETGATE_REQUIRE_POSTGRES"


def postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(f"{REQUIRE_POSTGRES_ENV} is set but {POSTGRES_ENV} is not")
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    return url


def _with_database(url: str, name: str, driver: str = "postgresql") -> str:
    parts = urlsplit(url)
    return urlunsplit((driver, parts.netloc, f"/{name}", parts.query, parts.fragment))


class PostgresTemplates:
    def __init__(self, admin_url: str) -> None:
        self.admin_url = _with_database(admin_url, urlsplit(admin_url).path.lstrip("/") or "postgres")
        self.template = f"fg_template_{uuid.uuid4().hex[:10]}"
        self.created: list[str] = []

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        try:
            return psycopg.connect(self.admin_url, autocommit=True)
        except psycopg.OperationalError as exc:
            if os.environ.get(REQUIRE_POSTGRES_ENV):
                pytest.fail(f"PostgreSQL is required but unreachable at {self.admin_url}: {exc}")
            pytest.skip(f"PostgreSQL is unreachable: {exc}")

    def prepare(self) -> None:
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{self.template}"')
        upgrade_sync(_with_database(self.admin_url, self.template, "postgresql+psycopg"))

    def fresh(self) -> str:
        name = f"fg_test_{uuid.uuid4().hex[:12]}"
        with self._admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return _with_database(self.admin_url, name, "postgresql+psycopg")

    def drop(self, name_or_url: str) -> None:
        name = urlsplit(name_or_url).path.lstrip("/") if "://" in name_or_url else name_or_url
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> None:
        for name in [*self.created, self.template]:
            self.drop(name)


class SqliteTemplate:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.db"

    def prepare(self) -> None:
        upgrade_sync(f"sqlite+aiosqlite:///{self.path}")

    def fresh(self, directory: Path) -> str:
        target = directory / "fleetgate.db"
        shutil.copyfile(self.path, target)
        return f"sqlite+aiosqlite:///{target}"
