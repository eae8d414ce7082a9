"""What `fleetgate dev` keeps between runs in its data directory: the database, the app's key, its Tesla identity.

The simulator lives in memory and is seeded again at every start; it gets the same client id and secret each time
so that the connections in the database still belong to the same Tesla app.
"""

from __future__ import annotations

import json
import os
import secrets
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from fleetgate.devtools.devserver.errors import DevError
from fleetgate.tesla.keys import KeyUnavailable, load_app_key, write_new_key


@dataclass
class DevIdentity:
    client_id: str
    client_secret: str
    workspace_id: str | None = None


class DataDir:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @property
    def database_path(self) -> Path:
        return self.root / "fleetgate.db"

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.database_path}"

    @property
    def key_path(self) -> Path:
        return self.root / "private-key.pem"

    @property
    def telemetry_dir(self) -> Path:
        return self.root / "telemetry"

    @property
    def identity_path(self) -> Path:
        return self.root / "dev.json"

    def is_new(self) -> bool:
        return not self.database_path.exists()

    def prepare(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DevError(f"cannot use {self.root} as the data directory ({exc.strerror}); pass --data-dir") from exc

    def app_key(self) -> ec.EllipticCurvePrivateKey:
        """The key made at the first start; a key file that is unreadable is an error, never silently replaced."""
        if not self.key_path.exists():
            return write_new_key(self.key_path)
        try:
            return load_app_key(pem=None, path=self.key_path)
        except KeyUnavailable as exc:
            raise DevError(f"{exc}; move {self.key_path} away to start with a new key") from exc

    def identity(self) -> DevIdentity:
        try:
            data = json.loads(self.identity_path.read_text())
        except FileNotFoundError:
            identity = DevIdentity(client_id=str(uuid.uuid4()), client_secret=f"ta-secret.{secrets.token_urlsafe(24)}")
            self.save_identity(identity)
            return identity
        except ValueError as exc:
            raise DevError(f"{self.identity_path} is not valid JSON; delete it to start with a new Tesla app") from exc
        if not isinstance(data, dict) or not data.get("client_id") or not data.get("client_secret"):
            raise DevError(f"{self.identity_path} lacks client_id or client_secret; delete it to start afresh")
        workspace_id = data.get("workspace_id")
        return DevIdentity(
            client_id=str(data["client_id"]),
            client_secret=str(data["client_secret"]),
            workspace_id=str(workspace_id) if workspace_id else None,
        )

    def save_identity(self, identity: DevIdentity) -> None:
        # Written whole then renamed, owner-only: it holds the Tesla app's client secret.
        temporary = self.identity_path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(asdict(identity), handle, indent=2)
        temporary.replace(self.identity_path)
