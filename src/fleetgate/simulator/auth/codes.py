"""Authorization codes: region-prefixed, ten minutes, single use, bound to the client, redirect_uri and PKCE."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fleetgate.simulator.auth.authorize_request import AuthorizationRequest
from fleetgate.simulator.auth.errors import OAuthError
from fleetgate.simulator.auth.tokens import AUTH_CODE_LIFETIME, AuthCode
from fleetgate.simulator.world import Account, World


@dataclass(slots=True)
class IssuedCode(AuthCode):
    # The token chain its exchange started, so that a replay of the code can revoke it (RFC 6749 section 4.1.2).
    chain_id: str | None = None


def issue_code(world: World, request: AuthorizationRequest, account: Account, scopes: frozenset[str]) -> str:
    now = world.now()
    for stale in [value for value, code in world.auth_codes.items() if code.issued_at + AUTH_CODE_LIFETIME <= now]:
        del world.auth_codes[stale]
    value = f"{account.ou_code}_{secrets.token_hex(32)}"
    world.auth_codes[value] = IssuedCode(
        code=value,
        client_id=request.app.client_id,
        account_id=account.id,
        redirect_uri=request.redirect_uri,
        scopes=scopes,
        issued_at=now,
        nonce=request.nonce,
        code_challenge=request.code_challenge,
        code_challenge_method=request.code_challenge_method,
    )
    return value


def pkce_matches(code: AuthCode, verifier: str | None) -> bool:
    if code.code_challenge is None:
        # A verifier for a code that had no challenge is refused (RFC 9700 section 2.1.1, downgrade attacks).
        return verifier is None
    if verifier is None:
        return False
    if code.code_challenge_method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii", errors="replace")).digest()
        computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    else:
        computed = verifier
    return hmac.compare_digest(computed.encode(), code.code_challenge.encode())


def revoke_chain(world: World, chain_id: str) -> None:
    for access in world.access_tokens.values():
        if access.chain_id == chain_id:
            access.revoked = True
    for refresh in world.refresh_tokens.values():
        if refresh.chain_id == chain_id:
            refresh.revoked = True


def redeem_code(
    world: World, *, value: str, client_id: str, redirect_uri: str | None, verifier: str | None
) -> AuthCode:
    """Checks a code for the token endpoint; the caller marks it used once the exchange succeeds."""
    code = world.auth_codes.get(value)
    if code is None or code.client_id != client_id:
        raise OAuthError(400, "invalid_auth_code", "The authorization code is invalid.")
    if code.used:
        if isinstance(code, IssuedCode) and code.chain_id is not None:
            revoke_chain(world, code.chain_id)
        raise OAuthError(400, "invalid_auth_code", "The authorization code has already been used.")
    if code.issued_at + AUTH_CODE_LIFETIME <= world.now():
        raise OAuthError(400, "invalid_auth_code", "The authorization code has expired.")
    if redirect_uri != code.redirect_uri:
        raise OAuthError(400, "invalid_redirect_url", "The redirect_uri does not match the authorization request.")
    if not pkce_matches(code, verifier):
        raise OAuthError(400, "invalid_grant", "The code_verifier does not match the code_challenge.")
    return code
