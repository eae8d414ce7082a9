"""Tesla's OAuth 2.0 flows: authorize URL (state, PKCE S256, nonce), code exchange, refresh, partner token.

Plain httpx rather than an OAuth library: Tesla's flows need parameters no generic client knows (`audience`,
`prompt_missing_scopes`, `require_requested_scopes`, `show_keypair_step`), and the refresh rule that matters most —
hand the rotated refresh token to the caller to persist *before* the new access token is used — is ours to keep.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import httpx

from fleetgate.tesla.claims import AccessClaims, read_claims
from fleetgate.tesla.endpoints import TeslaEndpoints
from fleetgate.tesla.errors import AuthError, LoginRequired, RateLimited, UpstreamError
from fleetgate.tesla.http import parse_retry_after

ALWAYS_REQUESTED = ("openid", "offline_access")
DEFAULT_REFRESH_LEEWAY = 60.0

Persist = Callable[["TokenSet"], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    url: str
    oauth_state: str
    code_verifier: str
    nonce: str

    def code_from_callback(self, callback_url: str) -> str:
        """The code Tesla sent back to the redirect URI, once its `state` is proven to be ours."""
        query = {name: values[0] for name, values in parse_qs(urlsplit(callback_url).query).items()}
        if not secrets.compare_digest(query.get("state", "").encode(), self.oauth_state.encode()):
            raise AuthError("the callback's state is not the one this authorization request sent", error="state")
        error = query.get("error")
        if error:
            raise AuthError(query.get("error_description") or error, error=error)
        code = query.get("code")
        if not code:
            raise AuthError("the callback carries no authorization code", error="invalid_request")
        return code


@dataclass(frozen=True, slots=True)
class TokenSet:
    access_token: str
    refresh_token: str | None
    expires_at: float
    id_token: str | None
    claims: AccessClaims


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_request(
    endpoints: TeslaEndpoints,
    *,
    client_id: str,
    redirect_uri: str,
    scopes: Iterable[str],
    prompt_missing_scopes: bool = False,
    require_requested_scopes: bool = False,
    show_keypair_step: bool = False,
    locale: str | None = None,
    extra: dict[str, str] | None = None,
) -> AuthorizationRequest:
    """A fresh state, PKCE verifier and nonce, and the URL that carries them (the caller keeps the secrets).

    Values are percent-encoded (a space is `%20`, not `+`), so the scope list and the redirect URI survive any
    server's query parser. `extra` adds parameters; it cannot replace the ones this function sets.
    """
    oauth_state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    nonce = secrets.token_urlsafe(16)
    wanted = list(dict.fromkeys([*ALWAYS_REQUESTED, *scopes]))
    params: dict[str, str] = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(wanted),
        "state": oauth_state,
        "nonce": nonce,
        "code_challenge": pkce_challenge(verifier),
        "code_challenge_method": "S256",
    }
    if prompt_missing_scopes:
        params["prompt_missing_scopes"] = "true"
    if require_requested_scopes:
        params["require_requested_scopes"] = "true"
    if show_keypair_step:
        params["show_keypair_step"] = "true"
    if locale:
        params["locale"] = locale
    clashes = sorted(set(params).intersection(extra or {}))
    if clashes:
        raise ValueError(f"extra parameters may not replace {', '.join(clashes)}")
    params.update(extra or {})
    return AuthorizationRequest(
        url=f"{endpoints.authorize_url}?{urlencode(params, quote_via=quote)}",
        oauth_state=oauth_state,
        code_verifier=verifier,
        nonce=nonce,
    )


class OAuthClient:
    def __init__(self, http: httpx.AsyncClient, endpoints: TeslaEndpoints, client_id: str, client_secret: str) -> None:
        self._http = http
        self._endpoints = endpoints
        self.client_id = client_id
        self._client_secret = client_secret

    async def exchange_code(self, *, code: str, redirect_uri: str, code_verifier: str, audience: str) -> TokenSet:
        # A code is single-use and Tesla revokes what it issued when a used code comes back: never resent.
        return await self._token_request(
            {
                "grant_type": "authorization_code",
                "client_id": self.client_id,
                "client_secret": self._client_secret,
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
                "audience": audience,
            }
        )

    async def refresh(self, refresh_token: str, persist: Persist) -> TokenSet:
        """Tesla rotates refresh tokens: `persist` must store the new one before anything uses the new access token.

        If `persist` fails, the error propagates and the caller still holds the old refresh token, which Tesla keeps
        valid for 24 hours after its use, so a retry within that time recovers.
        """
        tokens = await self._token_request(
            {"grant_type": "refresh_token", "client_id": self.client_id, "refresh_token": refresh_token}
        )
        if tokens.refresh_token is None:
            # Nothing rotated: the token we hold is still the one to keep.
            tokens = replace(tokens, refresh_token=refresh_token)
        await persist(tokens)
        return tokens

    async def partner_token(self, *, audience: str, scopes: Iterable[str] = ("openid",)) -> TokenSet:
        return await self._token_request(
            {
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self._client_secret,
                "audience": audience,
                "scope": " ".join(scopes),
            }
        )

    async def _token_request(self, form: dict[str, str]) -> TokenSet:
        try:
            response = await self._http.post(self._endpoints.token_url, data=form)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise UpstreamError.not_sent(f"Tesla's token endpoint is unreachable: {exc!r}") from exc
        except httpx.TransportError as exc:
            raise UpstreamError.answer_lost(f"Tesla's token endpoint did not answer: {exc!r}") from exc
        body = _json_or_none(response)
        if response.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
            raise _token_error(response, body)
        access = str(body["access_token"])
        expires_in = body.get("expires_in")
        claims = read_claims(access)
        expires_at = (
            float(claims.expires_at)
            if claims.expires_at is not None
            else time.time() + float(expires_in if isinstance(expires_in, int | float) else 0)
        )
        refresh = body.get("refresh_token")
        id_token = body.get("id_token")
        return TokenSet(
            access_token=access,
            refresh_token=str(refresh) if refresh else None,
            expires_at=expires_at,
            id_token=str(id_token) if id_token else None,
            claims=claims,
        )


@dataclass
class RefreshingToken:
    """The `TokenSource` of one connection: refreshes a little before expiry, or when Tesla refuses the token.

    One refresh at a time (a lock), and a caller whose token was already replaced gets the new one instead of a
    second refresh, which would rotate the refresh token again for nothing. `persist` runs inside
    `OAuthClient.refresh`, before the new access token is handed to anyone.
    """

    oauth: OAuthClient
    tokens: TokenSet
    persist: Persist
    leeway: float = DEFAULT_REFRESH_LEEWAY
    clock: Callable[[], float] = time.time
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False, repr=False)

    async def access_token(self) -> str:
        current = self.tokens.access_token
        if self.tokens.expires_at - self.leeway <= self.clock():
            return await self.refreshed_after(current)
        return current

    async def refreshed_after(self, rejected: str) -> str:
        async with self._lock:
            if self.tokens.access_token != rejected:
                return self.tokens.access_token
            if self.tokens.refresh_token is None:
                raise LoginRequired("the access token expired and there is no refresh token", status=401)
            self.tokens = await self.oauth.refresh(self.tokens.refresh_token, self.persist)
            return self.tokens.access_token


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _token_error(response: httpx.Response, body: Any) -> Exception:
    error = body.get("error") if isinstance(body, dict) else None
    description = body.get("error_description") if isinstance(body, dict) else None
    reason = str(description or error or response.text[:200] or f"HTTP {response.status_code}")
    if error == "login_required":
        return LoginRequired(reason, error=error, status=response.status_code, body=body)
    if response.status_code == 429:
        return RateLimited(reason, parse_retry_after(response.headers), body=body)
    if response.status_code >= 500:
        return UpstreamError.answered(reason, response.status_code, body)
    if response.status_code == 200:
        return UpstreamError.answer_lost(
            "Tesla's token endpoint answered without an access token", status=200, body=body
        )
    return AuthError(reason, error=str(error) if error else None, status=response.status_code, body=body)
