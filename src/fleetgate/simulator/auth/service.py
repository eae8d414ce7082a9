"""Consent, authorization codes and the token rules of Tesla's auth server.

Token chains: each authorization-code exchange starts a chain of refresh tokens for one (app, user). A refresh
token is single-use: using it returns a new pair and the used token stays valid for 24 hours more (so a client
that crashed before saving the new one can recover), after which only the newest one works. A new login by the
same user in the same app revokes the older chains and their access tokens. Revoking consent revokes everything.

Consent outlives logins: once a user has consented to an app, a later authorize request is answered with that
consent without asking again, even when it asks for more, unless it says `prompt_missing_scopes=true`. Scopes
the user removes stop working at once; scopes added reach tokens minted afterwards (refreshes included).
"""

from __future__ import annotations

import secrets

from fleetgate.simulator.auth.errors import login_required, unauthorized_client
from fleetgate.simulator.auth.scopes import IMPLICIT_SCOPES
from fleetgate.simulator.auth.tokens import (
    ACCESS_TOKEN_LIFETIME,
    REFRESH_GRACE,
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


def consent_to_reuse(
    world: World,
    client_id: str,
    account_id: str,
    *,
    requested: frozenset[str],
    prompt_missing_scopes: bool,
    require_requested_scopes: bool,
) -> Consent | None:
    """The earlier consent that answers an authorize request without the consent page, if any."""
    earlier = world.consents.get((client_id, account_id))
    if earlier is None or prompt_missing_scopes:
        return None
    if require_requested_scopes and not requested <= earlier.scopes:
        # The app insists on everything it asked for, so the user has to be asked for the rest.
        return None
    return earlier


def narrow_consent(world: World, client_id: str, account_id: str, keep: frozenset[str]) -> Consent | None:
    """The manage-access page: the user can only take scopes away; the sign-in scope stays."""
    current = world.consents.get((client_id, account_id))
    if current is None:
        return None
    remaining = current.scopes & (keep | IMPLICIT_SCOPES)
    if remaining == current.scopes:
        return current
    return grant_consent(world, client_id, account_id, remaining)


def refresh(world: World, *, base: str, client_id: str, value: str) -> dict[str, object]:
    """Rotates a refresh token; every refusal is Tesla's `login_required`."""
    record = world.refresh_tokens.get(value)
    now = world.now()
    if record is None or record.client_id != client_id or record.revoked:
        raise login_required("The refresh token is not valid. Sign the user in again.")
    if record.expires_at <= now:
        raise login_required("The refresh token has expired. Sign the user in again.")
    if record.used_at is not None and record.used_at + REFRESH_GRACE <= now:
        raise login_required("The refresh token has already been used. Sign the user in again.")
    account = world.accounts.get(record.account_id)
    consent = world.consents.get((client_id, record.account_id))
    if account is None or consent is None:
        raise login_required("The user has revoked access for this application. Sign the user in again.")
    if "offline_access" not in consent.scopes:
        raise login_required("The user no longer allows refresh tokens for this application. Sign the user in again.")
    if record.used_at is None:
        record.used_at = now
    body = token_response(
        world,
        base=base,
        client_id=client_id,
        account=account,
        scopes=consent.scopes,
        audience=record.audience,
        chain_id=record.chain_id,
    )
    # What stays valid: the token just used (for the rest of its 24 hours) and the one just issued.
    newest = body.get("refresh_token")
    for other in world.refresh_tokens.values():
        if other.chain_id == record.chain_id and other.value not in (value, newest):
            other.revoked = True
    return body


def authenticate_client(world: World, client_id: str, client_secret: str) -> None:
    app = world.apps.get(client_id)
    if (
        app is None
        or not client_secret
        or not secrets.compare_digest(app.client_secret.encode(), client_secret.encode())
    ):
        raise unauthorized_client()
