"""Consent, authorization codes and the token rules of Tesla's auth server.

Token chains: each authorization-code exchange starts a chain of refresh tokens for one (app, user). A refresh
token is single-use: using it returns a new pair and the used token stays valid for 24 hours more (so a client
that crashed before saving the new one can recover), after which only the newest one works. A new login by the
same user in the same app revokes the older chains and their access tokens. Revoking consent revokes everything.
"""

from __future__ import annotations

import secrets

from fleetgate.simulator.auth.tokens import (
    ACCESS_TOKEN_LIFETIME,
    REFRESH_TOKEN_LIFETIME,
    AccessTokenRecord,
    RefreshTokenRecord,
)
from fleetgate.simulator.world import Account, Consent, World


def issuer_url(base: str) -> str:
    return f"{base}/oauth2/v3/nts"


def default_audience(base: str, region: str) -> tuple[str, ...]:
    return (f"{base}/{region}", f"{base}/oauth2/v3/userinfo")


def grant_consent(world: World, client_id: str, account_id: str, scopes: frozenset[str]) -> Consent:
    consent = Consent(client_id=client_id, account_id=account_id, scopes=scopes, granted_at=world.now())
    world.consents[(client_id, account_id)] = consent
    return consent


def revoke_consent(world: World, client_id: str, account_id: str) -> None:
    world.consents.pop((client_id, account_id), None)
    for access in world.access_tokens.values():
        if access.client_id == client_id and access.account_id == account_id:
            access.revoked = True
    for refresh in world.refresh_tokens.values():
        if refresh.client_id == client_id and refresh.account_id == account_id:
            refresh.revoked = True


def mint_access_token(
    world: World,
    *,
    base: str,
    client_id: str,
    account: Account | None,
    scopes: frozenset[str],
    audience: tuple[str, ...],
    chain_id: str | None,
    nonce: str | None = None,
) -> str:
    now = world.now()
    iat = int(now)
    jti = secrets.token_hex(16)
    subject = account.id if account else client_id
    claims: dict[str, object] = {
        "iss": issuer_url(base),
        "azp": client_id,
        "sub": subject,
        "aud": list(audience),
        "scp": sorted(scopes),
        "amr": ["pwd", "mfa", "otp"] if account else [],
        "exp": iat + ACCESS_TOKEN_LIFETIME,
        "iat": iat,
        "auth_time": iat,
        "jti": jti,
    }
    if account is not None:
        claims.update({"ou_code": account.ou_code, "locale": "en-US", "account_type": "person", "open_source": False})
    if nonce:
        claims["nonce"] = nonce
    world.access_tokens[jti] = AccessTokenRecord(
        jti=jti,
        client_id=client_id,
        subject=subject,
        account_id=account.id if account else None,
        chain_id=chain_id,
        scopes=scopes,
        issued_at=iat,
        expires_at=iat + ACCESS_TOKEN_LIFETIME,
        audience=audience,
    )
    return world.issuer.mint(claims)


def mint_refresh_token(
    world: World, *, client_id: str, account: Account, chain_id: str, audience: tuple[str, ...]
) -> str:
    value = f"{account.ou_code}_{secrets.token_hex(32)}"
    now = world.now()
    world.refresh_tokens[value] = RefreshTokenRecord(
        value=value,
        client_id=client_id,
        account_id=account.id,
        chain_id=chain_id,
        audience=audience,
        issued_at=now,
        expires_at=now + REFRESH_TOKEN_LIFETIME,
    )
    return value


def start_chain(world: World, client_id: str, account_id: str) -> str:
    """A new login: older chains of this app and user stop working, with their access tokens."""
    for refresh in world.refresh_tokens.values():
        if refresh.client_id == client_id and refresh.account_id == account_id:
            refresh.revoked = True
    for access in world.access_tokens.values():
        if access.client_id == client_id and access.account_id == account_id:
            access.revoked = True
    return secrets.token_hex(8)


def token_response(
    world: World,
    *,
    base: str,
    client_id: str,
    account: Account,
    scopes: frozenset[str],
    audience: tuple[str, ...],
    chain_id: str,
    nonce: str | None = None,
) -> dict[str, object]:
    access = mint_access_token(
        world,
        base=base,
        client_id=client_id,
        account=account,
        scopes=scopes,
        audience=audience,
        chain_id=chain_id,
        nonce=nonce,
    )
    body: dict[str, object] = {
        "access_token": access,
        "expires_in": ACCESS_TOKEN_LIFETIME,
        "token_type": "Bearer",
    }
    if "offline_access" in scopes:
        body["refresh_token"] = mint_refresh_token(
            world, client_id=client_id, account=account, chain_id=chain_id, audience=audience
        )
    if "openid" in scopes:
        body["id_token"] = world.issuer.mint(
            {
                "iss": issuer_url(base),
                "aud": client_id,
                "sub": account.id,
                "email": account.email,
                "iat": int(world.now()),
                "exp": int(world.now()) + ACCESS_TOKEN_LIFETIME,
                **({"nonce": nonce} if nonce else {}),
            }
        )
    return body
