"""A connection's access token for `FleetSession`: refreshed early, and refreshed once however many callers wait.

Within one process, an asyncio lock per connection makes waiters queue behind the refresh in flight; after it they
find a newer token (a higher `token_version`) and use it. Across processes the connection's row is the lock (see
`row_lock`): whoever gets it second re-reads the row, sees that the token it was refused has been replaced, and
uses the one stored by the other process instead of refreshing again.

Tesla rotates refresh tokens on every refresh. The new one is committed (in `persist`, before anyone uses the new
access token); if the process dies after Tesla answered but before that commit, the old refresh token still works
for 24 hours, so the next refresh recovers. A refresh answered `login_required` means the user must consent again:
the connection becomes `needs_reconnect`, committed whatever happens to the request.

Tokens are never logged, and never part of an error message.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.connections.errors import revoked_error
from fleetgate.features.connections.events import record_connection_event
from fleetgate.features.connections.remedies import connection_remedies
from fleetgate.features.connections.row_lock import LockedConnection, locked_connection, mirror
from fleetgate.features.connections.token_storage import access_token_of, refresh_token_of, store_tokens
from fleetgate.features.events.types import CONNECTION_NEEDS_RECONNECT, CONNECTION_UPDATED
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Connection
from fleetgate.infra.models.connection import ConnectionStatus
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla.errors import LoginRequired
from fleetgate.tesla.oauth import OAuthClient, TokenSet
from fleetgate.tesla.token_cache import AccessToken

log = logging.getLogger("fleetgate.connections")
STATUS_REASON_LENGTH = 500


def oauth_client(runtime: Runtime) -> OAuthClient:
    settings = runtime.settings
    return OAuthClient(
        runtime.tesla_http, runtime.endpoints, settings.client_id, settings.client_secret.get_secret_value()
    )


def forget_connection(runtime: Runtime, connection_id: str) -> None:
    """Drops what this process remembers of a connection's tokens (after they were erased)."""
    runtime.token_cache.newest.pop(connection_id, None)


def reconnect_reason(error: LoginRequired) -> str:
    return f"Tesla refused to renew access (login_required): {error.reason}"[:STATUS_REASON_LENGTH]


class ConnectionTokens:
    """The `TokenSource` of one connection, for one request (or job). `session` is the caller's, if it has one:
    it lets the refresh see whether that transaction already holds the connection's lock (see `row_lock`)."""

    def __init__(self, runtime: Runtime, connection: Connection, session: AsyncSession | None = None) -> None:
        if connection.status == ConnectionStatus.REVOKED or connection.access_token_enc is None:
            raise revoked_error(connection.id, connection_remedies(runtime, connection.id))
        access = access_token_of(connection, runtime.encryptor)
        assert access is not None
        expires = connection.access_expires_at.timestamp() if connection.access_expires_at else 0.0
        self._runtime = runtime
        self._process = runtime.token_cache
        self._connection = connection
        self._session = session
        self.connection_id = connection.id
        self._token = AccessToken(connection.token_version, access, expires)
        self._process.remember(self.connection_id, self._token)

    @property
    def _leeway(self) -> float:
        return float(self._runtime.settings.token_refresh_leeway_seconds)

    def _adopt_newest(self) -> AccessToken:
        newest = self._process.newest.get(self.connection_id)
        if newest is not None and newest.version > self._token.version:
            self._token = newest
        return self._token

    async def access_token(self) -> str:
        token = self._adopt_newest()
        if token.expiring(self._leeway, time.time()):
            return await self.refreshed_after(token.value)
        return token.value

    async def refreshed_after(self, rejected: str) -> str:
        async with self._process.lock(self.connection_id):
            token = self._adopt_newest()
            if token.value != rejected and not token.expiring(self._leeway, time.time()):
                return token.value  # another request of this process refreshed while we waited
            return await self._refresh_locked(rejected)

    async def refresh_now(self) -> None:
        """A new access token even if the current one is still valid (its `scp` carries the user's current scopes),
        unless another caller got one since this source was made."""
        await self.refreshed_after(self._token.value)

    async def _refresh_locked(self, rejected: str) -> str:
        runtime = self._runtime
        async with locked_connection(runtime, self.connection_id, self._session) as locked:
            row = locked.row
            remedies = connection_remedies(runtime, self.connection_id)
            if row is None or row.status == ConnectionStatus.REVOKED or row.access_token_enc is None:
                raise revoked_error(self.connection_id, remedies)
            if row.status == ConnectionStatus.NEEDS_RECONNECT:
                mirror(row, self._connection)
                raise LoginRequired(row.status_reason or "the connection needs to be reconnected", status=401)
            stored = access_token_of(row, runtime.encryptor)
            assert stored is not None
            current = AccessToken(
                row.token_version, stored, row.access_expires_at.timestamp() if row.access_expires_at else 0.0
            )
            if current.value != rejected and not current.expiring(self._leeway, time.time()):
                # Another process refreshed while we waited for the row: use its token.
                return self._use(current, row)
            refresh_token = refresh_token_of(row, runtime.encryptor)
            if refresh_token is None:
                error = LoginRequired("the access token expired and Tesla gave no refresh token", status=401)
                await self._mark_needs_reconnect(locked, row, error)
                raise error

            async def persist(tokens: TokenSet) -> None:
                scopes_before = set(row.granted_scopes or [])
                store_tokens(row, tokens, runtime.encryptor)
                row.refreshed_at = utcnow()
                if set(row.granted_scopes) != scopes_before:
                    # The user changed the app's access on Tesla's side; the new token says so.
                    await locked.session.flush()
                    await record_connection_event(locked.session, runtime, CONNECTION_UPDATED, row)
                await locked.commit()

            try:
                tokens = await oauth_client(runtime).refresh(refresh_token, persist)
            except LoginRequired as error:
                await self._mark_needs_reconnect(locked, row, error)
                raise
            log.info("connection %s: access token refreshed (version %s)", self.connection_id, row.token_version)
            return self._use(AccessToken(row.token_version, tokens.access_token, tokens.expires_at), row)

    def _use(self, token: AccessToken, row: Connection) -> str:
        self._token = token
        self._process.remember(self.connection_id, token)
        mirror(row, self._connection)
        return token.value

    async def _mark_needs_reconnect(self, locked: LockedConnection, row: Connection, error: LoginRequired) -> None:
        if row.status == ConnectionStatus.ACTIVE:
            log.warning("connection %s needs a reconnect: %s", self.connection_id, error.reason)
            row.status = ConnectionStatus.NEEDS_RECONNECT
            row.status_reason = reconnect_reason(error)
            row.updated_at = utcnow()
            await locked.session.flush()
            await record_connection_event(locked.session, self._runtime, CONNECTION_NEEDS_RECONNECT, row)
        await locked.commit()
        mirror(row, self._connection)
