"""The server side of the auth host: token endpoint, JWKS, OIDC metadata and userinfo."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from fleetgate.simulator.auth.authorize_request import PKCE_METHODS
from fleetgate.simulator.auth.errors import NO_STORE, OAuthError
from fleetgate.simulator.auth.grants import GRANTS, exchange, parse_body, userinfo_url
from fleetgate.simulator.auth.scopes import SCOPES
from fleetgate.simulator.auth.service import issuer_url
from fleetgate.simulator.auth.tokens import InvalidAccessToken
from fleetgate.simulator.fleet.access import WorldDep, effective_scopes, public_base

router = APIRouter(tags=["auth"])

JWKS_PATHS = ("/oauth2/v3/discovery/thirdparty/keys", "/oauth2/v3/keys")
METADATA_PATHS = (
    "/oauth2/v3/thirdparty/.well-known/openid-configuration",
    "/oauth2/v3/.well-known/openid-configuration",
)


@router.post("/oauth2/v3/token")
async def token(request: Request, world: WorldDep) -> Response:
    try:
        params = parse_body(await request.body(), request.headers.get("content-type", ""))
        body = exchange(world, public_base(request), params)
    except OAuthError as exc:
        return exc.render()
    return JSONResponse(body, headers=NO_STORE)


async def jwks(world: WorldDep) -> dict[str, Any]:
    return world.issuer.jwks()


def metadata(base: str) -> dict[str, Any]:
    return {
        # The issuer is the `iss` of the tokens it signs, so that clients verifying id_tokens against it agree.
        "issuer": issuer_url(base),
        "authorization_endpoint": f"{base}/oauth2/v3/authorize",
        "token_endpoint": f"{base}/oauth2/v3/token",
        "userinfo_endpoint": userinfo_url(base),
        "jwks_uri": f"{base}{JWKS_PATHS[0]}",
        "scopes_supported": [scope.name for scope in SCOPES],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": list(GRANTS),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "code_challenge_methods_supported": list(PKCE_METHODS),
        "claims_supported": [
            "iss",
            "sub",
            "aud",
            "azp",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "email",
            "name",
            "scp",
            "ou_code",
            "locale",
        ],
    }


async def openid_configuration(request: Request) -> dict[str, Any]:
    return metadata(public_base(request))


for _path in JWKS_PATHS:
    router.add_api_route(_path, jwks, methods=["GET"])
for _path in METADATA_PATHS:
    router.add_api_route(_path, openid_configuration, methods=["GET"])


def invalid_token(description: str) -> OAuthError:
    return OAuthError(401, "invalid_token", description, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


# OpenID Connect allows both methods; one operation each in the schema.
@router.get("/oauth2/v3/userinfo", operation_id="userinfo_get")
@router.post("/oauth2/v3/userinfo", operation_id="userinfo_post")
async def userinfo(request: Request, world: WorldDep) -> Response:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    try:
        if scheme.lower() != "bearer" or not value.strip():
            raise invalid_token("A bearer access token is required.")
        try:
            claims = world.issuer.verify(value.strip(), world.now())
        except InvalidAccessToken as exc:
            raise invalid_token("The access token is invalid or expired.") from exc
        record = world.access_tokens.get(str(claims.get("jti", "")))
        account = world.accounts.get(record.account_id or "") if record and not record.revoked else None
        if record is None or account is None or (record.client_id, account.id) not in world.consents:
            raise invalid_token("The access token does not belong to a signed-in user.")
        if "openid" not in effective_scopes(world, record):
            raise OAuthError(403, "insufficient_scope", "The access token lacks the openid scope.")
    except OAuthError as exc:
        return exc.render()
    return JSONResponse({"sub": account.id, "email": account.email, "name": account.full_name})
