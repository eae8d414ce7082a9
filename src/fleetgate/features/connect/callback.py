"""Tesla's answer to the authorize step: the session it belongs to, the code exchange, the linked connection.

The state is consumed with one conditional UPDATE before anything else, and committed before Tesla is asked: a
second request with the same state (a replay, a double-submitted redirect) finds nothing, even while the first one
is still talking to Tesla. No transaction is open while Tesla answers (the code exchange, then the device
discovery): the linked connection is committed before its devices are discovered, as it would stay if discovery
failed.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import granted_access, missing_access
from fleetgate.features.connect.authorize import oauth_state_hash, verifier_context
from fleetgate.features.connect.service import COMPLETED, EXPIRED, FAILED, PENDING, current_status
from fleetgate.features.connections.service import DifferentTeslaAccount, link_connection, supersede_others
from fleetgate.features.devices.discovery import sync_devices
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.db.release import release
from fleetgate.infra.errors import NotFound
from fleetgate.infra.models import ConnectSession
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.encryption import DecryptionError
from fleetgate.tesla.errors import TeslaError
from fleetgate.tesla.oauth import OAuthClient, TokenSet

log = logging.getLogger("fleetgate.connect")

MAX_OAUTH_STATE_LENGTH = 512
TESLA_ERROR_CODE = re.compile(r"^[a-z0-9_]{1,60}$")
DENIED_MESSAGE = "The Tesla account owner declined to give access."

CallbackEnd = Literal["unknown_state", "expired", "finished"]


@dataclass(frozen=True, slots=True)
class CallbackResult:
    end: CallbackEnd
    connect_session: ConnectSession | None = None


async def handle_callback(session: AsyncSession, runtime: Runtime, params: Mapping[str, str]) -> CallbackResult:
    connect_session = await consume_oauth_state(session, params.get("state", ""))
    if connect_session is None or connect_session.status != PENDING:
        return CallbackResult("unknown_state")
    verifier_enc, nonce = connect_session.code_verifier_enc, connect_session.nonce
    # Whatever happens next, the secrets of this attempt are done with.
    connect_session.code_verifier_enc = None
    connect_session.nonce = None
    if current_status(connect_session) == EXPIRED:
        connect_session.status = EXPIRED
        return CallbackResult("expired", connect_session)

    error = params.get("error")
    code = params.get("code")
    if error:
        tesla_refused(connect_session, error, params.get("error_description"))
    elif not code or verifier_enc is None:
        fail(connect_session, "invalid_callback", "Tesla's answer carried no authorization code.")
    else:
        # The state consumed and the attempt's secrets erased for good: Tesla takes a code only once anyway.
        await release(session)
        await exchange_and_link(session, runtime, connect_session, code, verifier_enc, nonce)
    await session.flush()
    return CallbackResult("finished", connect_session)


async def consume_oauth_state(session: AsyncSession, oauth_state: str) -> ConnectSession | None:
    if not oauth_state or len(oauth_state) > MAX_OAUTH_STATE_LENGTH:
        return None
    consumed = await session.execute(
        update(ConnectSession)
        .where(ConnectSession.oauth_state_hash == oauth_state_hash(oauth_state))
        .values(oauth_state_hash=None)
        .returning(ConnectSession.id)
        .execution_options(synchronize_session=False)
    )
    session_id = consumed.scalar_one_or_none()
    if session_id is None:
        return None
    connect_session = await session.get(ConnectSession, session_id, populate_existing=True)
    return connect_session


def tesla_refused(connect_session: ConnectSession, error: str, description: str | None) -> None:
    if error == "access_denied":
        fail(connect_session, "access_denied", DENIED_MESSAGE)
        return
    code = error if TESLA_ERROR_CODE.match(error) else "tesla_error"
    message = (description or "").strip()[:500] or f"Tesla ended the sign-in with the error {code}."
    fail(connect_session, code, message)


async def exchange_and_link(
    session: AsyncSession,
    runtime: Runtime,
    connect_session: ConnectSession,
    code: str,
    verifier_enc: str,
    nonce: str | None,
) -> None:
    settings = runtime.settings
    try:
        verifier = runtime.encryptor.decrypt(verifier_enc, context=verifier_context(connect_session.id))
    except DecryptionError:
        # The encryption key changed between the start and the callback: the user has to start again.
        fail(connect_session, "session_unreadable", "This sign-in cannot be finished; start again from the app.")
        return
    oauth = OAuthClient(
        runtime.tesla_http, runtime.endpoints, settings.client_id, settings.client_secret.get_secret_value()
    )
    try:
        tokens = await oauth.exchange_code(
            code=code,
            redirect_uri=settings.callback_url,
            code_verifier=verifier,
            audience=runtime.endpoints.base_url(settings.default_audience_region),
        )
    except TeslaError as exc:
        log.warning("connect session %s: code exchange failed: %s", connect_session.id, exc.reason)
        fail(connect_session, "tesla_exchange_failed", f"Tesla did not complete the sign-in: {exc.reason}")
        return
    if not nonce_matches(tokens, nonce):
        fail(connect_session, "tesla_exchange_failed", "Tesla's token does not belong to this sign-in.")
        return
    if not tokens.claims.subject:
        fail(connect_session, "tesla_exchange_failed", "Tesla's token names no Tesla account.")
        return
    try:
        connection = await link_connection(
            session,
            runtime,
            workspace_id=connect_session.workspace_id,
            customer_id=connect_session.customer_id,
            tokens=tokens,
            requested_access=connect_session.requested_access,
            connection_id=connect_session.connection_id if connect_session.reconnect else None,
        )
    except DifferentTeslaAccount:
        # Nothing is linked, but the exchange was a login all the same: Tesla ended the account's older tokens.
        await supersede_others(session, runtime, tokens.claims.subject, keep=None)
        fail(
            connect_session,
            "different_tesla_account",
            "You signed in with another Tesla account than the one connected before. Sign in with that account, "
            "or ask the app to connect this one as a new connection.",
        )
        return
    except NotFound:
        # The connection a reconnect was for is gone (deleted in the meantime): nothing to update.
        await supersede_others(session, runtime, tokens.claims.subject, keep=None)
        fail(connect_session, "connection_not_found", "The connection to update no longer exists.")
        return
    devices_synced = True
    await release(session)
    try:
        await sync_devices(session, runtime, connection)
    except TeslaError as exc:
        # The account is linked and its tokens kept; devices can be discovered later (`POST .../sync`), so a
        # hiccup at Tesla here does not throw away the user's consent.
        log.warning("connect session %s: device discovery failed: %s", connect_session.id, exc.reason)
        devices_synced = False
    # What this consent granted, as Tesla wrote it in the token (a reconnect's token carries every granted scope).
    scopes = list(tokens.claims.scopes)
    connect_session.connection_id = connection.id
    connect_session.status = COMPLETED
    connect_session.completed_at = utcnow()
    connect_session.result = {
        "granted_access": granted_access(scopes),
        "missing_access": missing_access(connect_session.requested_access, scopes),
        "granted_scopes": scopes,
        "devices_synced": devices_synced,
    }


def nonce_matches(tokens: TokenSet, nonce: str | None) -> bool:
    """Tesla puts the authorize request's nonce in the token; when it is there it must be ours."""
    sent = tokens.claims.raw.get("nonce")
    if sent is None or nonce is None:
        return True
    return isinstance(sent, str) and secrets.compare_digest(sent.encode(), nonce.encode())


def fail(connect_session: ConnectSession, code: str, message: str) -> None:
    connect_session.status = FAILED
    connect_session.error_code = code
    connect_session.error_message = message
    connect_session.completed_at = utcnow()
