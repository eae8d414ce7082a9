"""The token endpoint's grants: authorization_code, refresh_token and client_credentials."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from urllib.parse import parse_qsl

from fleetgate.simulator.auth.codes import IssuedCode, redeem_code
from fleetgate.simulator.auth.errors import OAuthError, invalid_request
from fleetgate.simulator.auth.scopes import SCOPES, SCOPES_BY_NAME
from fleetgate.simulator.auth.service import (
    authenticate_client,
    mint_access_token,
    refresh,
    start_chain,
    token_response,
)
from fleetgate.simulator.auth.tokens import ACCESS_TOKEN_LIFETIME
from fleetgate.simulator.world import World

Params = Mapping[str, str]


def parse_body(body: bytes, content_type: str) -> dict[str, str]:
    """Tesla documents a form body and also takes JSON."""
    if content_type.split(";")[0].strip().lower() == "application/json":
        try:
            data = json.loads(body or b"{}")
        except ValueError as exc:
            raise invalid_request("The request body is not valid JSON.") from exc
        if not isinstance(data, dict):
            raise invalid_request("The request body must be a JSON object.")
        return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in data.items() if v is not None}
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise invalid_request("The request body is not UTF-8.") from exc
    return dict(parse_qsl(text, keep_blank_values=True))


def userinfo_url(base: str) -> str:
    return f"{base}/oauth2/v3/userinfo"


def _required(params: Params, name: str) -> str:
    value = params.get(name, "").strip()
    if not value:
        raise invalid_request(f"The {name} parameter is missing.")
    return value


def authorization_code(world: World, base: str, params: Params) -> dict[str, object]:
    client_id = params.get("client_id", "")
    authenticate_client(world, client_id, params.get("client_secret", ""))
    audience = _required(params, "audience")
    code = redeem_code(
        world,
        value=params.get("code", ""),
        client_id=client_id,
        redirect_uri=params.get("redirect_uri"),
        verifier=params.get("code_verifier"),
    )
    account = world.accounts.get(code.account_id)
    if account is None or (client_id, account.id) not in world.consents:
        raise OAuthError(400, "invalid_auth_code", "The authorization code is no longer valid.")
    code.used = True
    chain_id = start_chain(world, client_id, account.id)
    if isinstance(code, IssuedCode):
        code.chain_id = chain_id
    return token_response(
        world,
        base=base,
        client_id=client_id,
        account=account,
        scopes=code.scopes,
        audience=(audience, userinfo_url(base)),
        chain_id=chain_id,
        nonce=code.nonce,
    )


def refresh_token(world: World, base: str, params: Params) -> dict[str, object]:
    return refresh(world, base=base, client_id=params.get("client_id", ""), value=params.get("refresh_token", ""))


def client_credentials(world: World, base: str, params: Params) -> dict[str, object]:
    client_id = params.get("client_id", "")
    authenticate_client(world, client_id, params.get("client_secret", ""))
    audience = _required(params, "audience")
    requested = params.get("scope", "").split()
    unknown = [name for name in requested if name not in SCOPES_BY_NAME]
    if unknown:
        raise OAuthError(400, "invalid_scope", f"Unknown scope: {' '.join(unknown)}.")
    # Without a scope parameter the partner token carries everything an app can hold; the simulator does not
    # model the scopes an app enabled in the developer portal.
    scopes = frozenset(requested) if requested else frozenset(scope.name for scope in SCOPES)
    access = mint_access_token(
        world, base=base, client_id=client_id, account=None, scopes=scopes, audience=(audience,), chain_id=None
    )
    return {"access_token": access, "expires_in": ACCESS_TOKEN_LIFETIME, "token_type": "Bearer"}


GRANTS: dict[str, Callable[[World, str, Params], dict[str, object]]] = {
    "authorization_code": authorization_code,
    "refresh_token": refresh_token,
    "client_credentials": client_credentials,
}


def exchange(world: World, base: str, params: Params) -> dict[str, object]:
    grant = GRANTS.get(params.get("grant_type", ""))
    if grant is None:
        raise OAuthError(
            400, "unsupported_grant_type", "grant_type must be authorization_code, refresh_token or client_credentials."
        )
    return grant(world, base, params)
