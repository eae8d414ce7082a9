"""The step to Tesla: a fresh state, PKCE verifier and nonce for a session, and the authorize URL that carries them.

The state is kept only as a SHA-256 hash (it is the key the callback is looked up by, and a database reader must not
be able to forge a callback with it); the verifier is encrypted, bound to the session's id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.scopes import scopes_for
from fleetgate.infra.db.base import utcnow
from fleetgate.infra.models import ConnectSession
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla.oauth import authorization_request

# Access that is only usable once the app's virtual key is on the car (Tesla's signed commands need it), so Tesla's
# consent screen announces the pairing step that follows.
KEY_ACCESS = frozenset({"vehicle_commands", "vehicle_charging_commands"})


def needs_virtual_key(access: Iterable[str]) -> bool:
    return not KEY_ACCESS.isdisjoint(access)


def oauth_state_hash(oauth_state: str) -> str:
    return hashlib.sha256(oauth_state.encode()).hexdigest()


def verifier_context(session_id: str) -> str:
    return f"connect_session:{session_id}:code_verifier"


async def begin_authorization(session: AsyncSession, runtime: Runtime, connect_session: ConnectSession) -> str:
    """Tesla's authorize URL for this session; any earlier state of the session stops working."""
    settings = runtime.settings
    request = authorization_request(
        runtime.endpoints,
        client_id=settings.client_id,
        redirect_uri=settings.callback_url,
        scopes=scopes_for(connect_session.requested_access),
        prompt_missing_scopes=connect_session.reconnect,
        require_requested_scopes=connect_session.require_all,
        show_keypair_step=needs_virtual_key(connect_session.requested_access),
    )
    connect_session.oauth_state_hash = oauth_state_hash(request.oauth_state)
    connect_session.code_verifier_enc = runtime.encryptor.encrypt(
        request.code_verifier, context=verifier_context(connect_session.id)
    )
    connect_session.nonce = request.nonce
    connect_session.started_at = utcnow()
    await session.flush()
    return request.url
