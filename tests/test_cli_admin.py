"""The operator's commands run as real processes on a real database: migrate, workspace, apikey, encryption-key, serve.

Each runs on a new SQLite file and on a new, empty PostgreSQL database (skipped without
FLEETGATE_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import base64
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest

from fleetgate.config import decode_key
from tests.support.databases import postgres_admin_url
from tests.support.live import free_port

TABLES = {"workspaces", "api_keys", "customers", "connections", "devices", "connect_sessions"}
# A key revoked by another process is refused once this much time has passed since the server last checked it.
CACHE_SECONDS = 1.0


@dataclass(frozen=True)
class Database:
    kind: str
    url: str
    admin_url: str | None = None

    def tables(self) -> set[str]:
        if self.kind == "sqlite":
            path = self.url.split("///", 1)[1]
            with sqlite3.connect(path) as connection:
                rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        else:
            with psycopg.connect(self.url.replace("+psycopg", "")) as connection:
                rows = connection.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                ).fetchall()
        return {str(row[0]) for row in rows}


@contextmanager
def empty_postgres(admin_url: str) -> Iterator[Database]:
    name = f"fg_cli_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(admin_url)
    url = urlunsplit(("postgresql+psycopg", parts.netloc, f"/{name}", "", ""))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database("postgresql", url, admin_url)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no schema yet: a SQLite file that does not exist, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        yield Database("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'data' / 'fleetgate.db'}")
        return
    admin_url = postgres_admin_url()
    assert admin_url is not None
    with empty_postgres(admin_url) as database:
        yield database


def environment(**settings: str) -> dict[str, str]:
    """The process environment without the caller's FLEETGATE_* settings, plus these."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("FLEETGATE_")}
    return {**clean, **{f"FLEETGATE_{name.upper()}": value for name, value in settings.items()}}


def fleetgate(cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fleetgate", *args],
        capture_output=True,
        text=True,
        cwd=cwd,  # away from the repository, so no `.env` there is read
        env=environment(**settings),
        timeout=120,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


class TestMigrate:
    def test_creates_the_schema_and_is_idempotent(self, tmp_path: Path, database: Database) -> None:
        for _ in range(2):
            result = fleetgate(tmp_path, "migrate", database_url=database.url)
            assert result.returncode == 0, result.stderr
            assert "latest schema" in result.stderr
        assert {*TABLES, "alembic_version"} <= database.tables()

    def test_a_database_url_that_is_not_usable_is_a_clear_error(self, tmp_path: Path) -> None:
        result = fleetgate(tmp_path, "migrate", database_url="not a url")
        assert_one_line_error(result, "FLEETGATE_DATABASE_URL", "postgresql+psycopg://")


class TestWorkspaceCreate:
    def test_prints_only_the_id_and_the_workspace_is_listed(self, tmp_path: Path, database: Database) -> None:
        if database.kind == "postgresql":
            assert fleetgate(tmp_path, "migrate", database_url=database.url).returncode == 0
        created = fleetgate(tmp_path, "workspace", "create", "Acme Energy", database_url=database.url)
        assert created.returncode == 0, created.stderr
        workspace_id = created.stdout.strip()
        assert workspace_id.startswith("ws_")
        assert f"fleetgate apikey create --workspace {workspace_id}" in created.stderr

        listed = fleetgate(tmp_path, "workspace", "list", database_url=database.url)
        assert listed.stdout.splitlines()[0].split("\t")[:2] == [workspace_id, "Acme Energy"]

    def test_a_new_sqlite_file_gets_its_schema_on_first_use(self, tmp_path: Path) -> None:
        path = tmp_path / "new" / "fleetgate.db"
        created = fleetgate(tmp_path, "workspace", "create", "First", database_url=f"sqlite+aiosqlite:///{path}")
        assert created.returncode == 0, created.stderr
        assert path.exists()

    def test_postgresql_without_the_schema_says_to_migrate(self, tmp_path: Path) -> None:
        admin_url = postgres_admin_url()
        assert admin_url is not None
        with empty_postgres(admin_url) as database:
            result = fleetgate(tmp_path, "workspace", "create", "Acme", database_url=database.url)
            assert_one_line_error(result, "fleetgate migrate")

    def test_an_empty_name_is_refused(self, tmp_path: Path) -> None:
        result = fleetgate(tmp_path, "workspace", "create", "  ", database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db")
        assert_one_line_error(result, "name")


class TestWorkspaceBrand:
    def test_sets_what_the_hosted_pages_show_and_refuses_what_is_not_valid(self, tmp_path: Path) -> None:
        url = f"sqlite+aiosqlite:///{tmp_path}/brand.db"
        assert fleetgate(tmp_path, "workspace", "create", "Acme Energy", database_url=url).returncode == 0
        branded = fleetgate(
            tmp_path,
            "workspace",
            "brand",
            "Acme Energy",
            "--display-name",
            "Acme Charging",
            "--accent-color",
            "#0F766E",
            database_url=url,
        )
        assert branded.returncode == 0, branded.stderr
        assert branded.stdout.splitlines() == [
            "display_name\tAcme Charging",
            "logo_url\t-",
            "accent_color\t#0f766e",
        ]

        refused = fleetgate(
            tmp_path, "workspace", "brand", "Acme Energy", "--logo-url", "http://x.test/l.png", database_url=url
        )
        assert_one_line_error(refused, "logo_url", "https://")
        cleared = fleetgate(tmp_path, "workspace", "brand", "Acme Energy", "--display-name", "", database_url=url)
        assert cleared.stdout.splitlines()[0] == "display_name\tAcme Energy"


class TestApiKeyCreate:
    @pytest.fixture
    def workspace_id(self, tmp_path: Path, database: Database) -> str:
        assert fleetgate(tmp_path, "migrate", database_url=database.url).returncode == 0
        created = fleetgate(tmp_path, "workspace", "create", "Acme Energy", database_url=database.url)
        return created.stdout.strip()

    def test_prints_only_the_key(self, tmp_path: Path, database: Database, workspace_id: str) -> None:
        result = fleetgate(
            tmp_path, "apikey", "create", "--workspace", workspace_id, "--name", "ci", database_url=database.url
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().startswith("fg_")
        assert len(result.stdout.strip().splitlines()) == 1
        assert "shown once" in result.stderr

    def test_a_unique_workspace_name_works_too(self, tmp_path: Path, database: Database, workspace_id: str) -> None:
        result = fleetgate(tmp_path, "apikey", "create", "--workspace", "Acme Energy", database_url=database.url)
        assert result.returncode == 0, result.stderr
        assert workspace_id in result.stderr

    def test_an_ambiguous_name_asks_for_the_id(self, tmp_path: Path, database: Database, workspace_id: str) -> None:
        other = fleetgate(tmp_path, "workspace", "create", "Acme Energy", database_url=database.url).stdout.strip()
        result = fleetgate(tmp_path, "apikey", "create", "--workspace", "Acme Energy", database_url=database.url)
        assert_one_line_error(result, "2 workspaces are named 'Acme Energy'", workspace_id, other)

    def test_an_unknown_workspace_is_a_clear_error(self, tmp_path: Path, database: Database, workspace_id: str) -> None:
        result = fleetgate(tmp_path, "apikey", "create", "--workspace", "ws_nope", database_url=database.url)
        assert_one_line_error(result, "no workspace 'ws_nope'", "fleetgate workspace list")


class TestApiKeyListAndRevoke:
    @pytest.fixture
    def workspace_id(self, tmp_path: Path, database: Database) -> str:
        assert fleetgate(tmp_path, "migrate", database_url=database.url).returncode == 0
        return fleetgate(tmp_path, "workspace", "create", "Acme", database_url=database.url).stdout.strip()

    def test_list_shows_each_key_without_the_key_and_revoke_marks_it(
        self, tmp_path: Path, database: Database, workspace_id: str
    ) -> None:
        url = database.url
        first = fleetgate(tmp_path, "apikey", "create", "--workspace", workspace_id, "--name", "ci", database_url=url)
        second = fleetgate(tmp_path, "apikey", "create", "--workspace", "Acme", database_url=url)
        listed = fleetgate(tmp_path, "apikey", "list", "--workspace", workspace_id, database_url=url)
        assert listed.returncode == 0, listed.stderr
        rows = [line.split("\t") for line in listed.stdout.strip().splitlines()]
        assert [row[1] for row in rows] == [key.stdout.strip()[:11] for key in (first, second)]
        assert [row[2] for row in rows] == ["ci", "-"]
        assert all(row[5] == "-" for row in rows)
        assert first.stdout.strip() not in listed.stdout
        assert second.stdout.strip()[12:] not in listed.stdout

        revoked = fleetgate(tmp_path, "apikey", "revoke", rows[0][1], database_url=url)  # by its prefix
        assert revoked.returncode == 0, revoked.stderr
        assert revoked.stdout.strip() == rows[0][0]
        assert "FLEETGATE_API_KEY_CACHE_SECONDS" in revoked.stderr
        again = fleetgate(tmp_path, "apikey", "revoke", rows[0][0], database_url=url)  # by its id
        assert again.returncode == 0
        assert "already revoked" in again.stderr
        after = fleetgate(tmp_path, "apikey", "list", "--workspace", workspace_id, database_url=url).stdout
        assert [line.split("\t")[5] != "-" for line in after.strip().splitlines()] == [True, False]

    def test_an_unknown_key_is_a_clear_error(self, tmp_path: Path, database: Database, workspace_id: str) -> None:
        result = fleetgate(tmp_path, "apikey", "revoke", "fg_00000000", database_url=database.url)
        assert_one_line_error(result, "no API key 'fg_00000000'", "fleetgate apikey list")


class TestEncryptionKey:
    def test_prints_a_fresh_32_byte_base64_key(self, tmp_path: Path) -> None:
        first, second = (fleetgate(tmp_path, "keys", "encryption-key").stdout.strip() for _ in range(2))
        assert first != second
        assert len(decode_key(first)) == 32
        assert len(base64.b64decode(second)) == 32


class TestServe:
    def test_refuses_to_start_in_prod_without_an_encryption_key(self, tmp_path: Path) -> None:
        result = fleetgate(tmp_path, "serve", mode="prod", database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db")
        assert_one_line_error(result, "FLEETGATE_ENCRYPTION_KEY", "fleetgate keys encryption-key")

    def test_refuses_a_malformed_encryption_key(self, tmp_path: Path) -> None:
        result = fleetgate(tmp_path, "serve", mode="prod", encryption_key="not-base64!")
        assert_one_line_error(result, "FLEETGATE_ENCRYPTION_KEY must be base64")

    def test_refuses_workers_without_postgresql(self, tmp_path: Path) -> None:
        database_url = f"sqlite+aiosqlite:///{tmp_path}/x.db"
        for command in ("serve", "worker"):
            result = fleetgate(tmp_path, command, command_executor="worker", database_url=database_url)
            assert_one_line_error(result, "FLEETGATE_COMMAND_EXECUTOR=worker needs PostgreSQL")

    @pytest.mark.live
    def test_serves_the_configured_database_with_a_key_from_the_cli(self, tmp_path: Path, database: Database) -> None:
        settings = {"database_url": database.url, "mode": "prod", "api_key_cache_seconds": str(CACHE_SECONDS)}
        assert fleetgate(tmp_path, "migrate", **settings).returncode == 0
        workspace_id = fleetgate(tmp_path, "workspace", "create", "Acme", **settings).stdout.strip()
        key = fleetgate(tmp_path, "apikey", "create", "--workspace", workspace_id, **settings).stdout.strip()
        encryption_key = fleetgate(tmp_path, "keys", "encryption-key").stdout.strip()

        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "fleetgate", "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=tmp_path,
            env=environment(**settings, encryption_key=encryption_key),
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, process.communicate()[0]
                try:
                    health = httpx.get(f"{base}/healthz", timeout=2, trust_env=False)
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "fleetgate serve did not answer"
                    time.sleep(0.1)
            assert health.json() == {"status": "ok"}
            customers = httpx.get(f"{base}/v1/customers", headers={"Authorization": f"Bearer {key}"}, trust_env=False)
            assert customers.status_code == 200, customers.text

            # Revoked by another process: the server, which has just checked the key, stops taking it once its
            # `FLEETGATE_API_KEY_CACHE_SECONDS` have passed.
            assert fleetgate(tmp_path, "apikey", "revoke", key[:11], **settings).returncode == 0
            time.sleep(CACHE_SECONDS)
            refused = httpx.get(f"{base}/v1/customers", headers={"Authorization": f"Bearer {key}"}, trust_env=False)
            assert refused.status_code == 401, refused.text
            assert refused.json()["error"]["code"] == "unauthenticated"
        finally:
            process.terminate()
            process.communicate(timeout=30)
