"""Tokens at rest: encrypted, each bound to its connection and field, so a ciphertext moved elsewhere is useless."""

from __future__ import annotations

from datetime import UTC, datetime

from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import Connection
from fleetgate.infra.security.encryption import Encryptor
from fleetgate.tesla.oauth import TokenSet

ACCESS_TOKEN = "access_token"
REFRESH_TOKEN = "refresh_token"


def token_context(connection_id: str, field: str) -> str:
    return f"connection:{connection_id}:{field}"


def store_tokens(connection: Connection, tokens: TokenSet, encryptor: Encryptor) -> None:
    """Tokens, expiry and the scopes of the new access token; `token_version` moves on so waiters see the change."""
    connection.access_token_enc = encryptor.encrypt(
        tokens.access_token, context=token_context(connection.id, ACCESS_TOKEN)
    )
    connection.refresh_token_enc = (
        encryptor.encrypt(tokens.refresh_token, context=token_context(connection.id, REFRESH_TOKEN))
        if tokens.refresh_token is not None
        else None
    )
    connection.access_expires_at = datetime.fromtimestamp(tokens.expires_at, UTC)
    # Kept as Tesla wrote them, unknown scopes included: Tesla adds scopes, and dropping them would hide them.
    connection.granted_scopes = list(dict.fromkeys(tokens.claims.scopes))
    connection.token_version = (connection.token_version or 0) + 1
    connection.updated_at = utcnow()


def forget_tokens(connection: Connection) -> None:
    connection.access_token_enc = None
    connection.refresh_token_enc = None
    connection.access_expires_at = None
    connection.token_version = (connection.token_version or 0) + 1


def access_token_of(connection: Connection, encryptor: Encryptor) -> str | None:
    if connection.access_token_enc is None:
        return None
    return encryptor.decrypt(connection.access_token_enc, context=token_context(connection.id, ACCESS_TOKEN))


def refresh_token_of(connection: Connection, encryptor: Encryptor) -> str | None:
    if connection.refresh_token_enc is None:
        return None
    return encryptor.decrypt(connection.refresh_token_enc, context=token_context(connection.id, REFRESH_TOKEN))
