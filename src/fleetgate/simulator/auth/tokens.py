"""Access tokens as Tesla mints them: RS256 JWTs with `iss azp sub aud scp ou_code exp iat`, and a JWKS."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ACCESS_TOKEN_LIFETIME = 8 * 3600
REFRESH_TOKEN_LIFETIME = 90 * 24 * 3600
REFRESH_GRACE = 24 * 3600
AUTH_CODE_LIFETIME = 600


class InvalidAccessToken(Exception):
    pass


class ExpiredAccessToken(InvalidAccessToken):
    pass


@dataclass(slots=True)
class AccessTokenRecord:
    jti: str
    client_id: str
    subject: str  # account id, or the client id for a partner token
    account_id: str | None
    chain_id: str | None
    scopes: frozenset[str]
    issued_at: float
    expires_at: float
    audience: tuple[str, ...]
    revoked: bool = False

    @property
    def is_partner(self) -> bool:
        return self.account_id is None


@dataclass(slots=True)
class RefreshTokenRecord:
    value: str
    client_id: str
    account_id: str
    chain_id: str
    audience: tuple[str, ...]
    issued_at: float
    expires_at: float
    used_at: float | None = None
    revoked: bool = False


@dataclass(slots=True)
class AuthCode:
    code: str
    client_id: str
    account_id: str
    redirect_uri: str
    scopes: frozenset[str]
    issued_at: float
    nonce: str | None = None
    code_challenge: str | None = None
    code_challenge_method: str | None = None
    used: bool = False


@dataclass
class TokenIssuer:
    private_key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    kid: str = field(default_factory=lambda: secrets.token_hex(8))

    def mint(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"})

    def verify(self, token: str, now: float) -> dict[str, Any]:
        """Checks the signature, then expiry against simulated time (not the host's clock)."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self.private_key.public_key(),
                algorithms=["RS256"],
                options={"verify_exp": False, "verify_aud": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.PyJWTError as exc:
            raise InvalidAccessToken(str(exc)) from exc
        exp = claims.get("exp")
        if not isinstance(exp, int | float):
            raise InvalidAccessToken("token has no exp")
        if exp <= now:
            raise ExpiredAccessToken("token expired")
        return claims

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}
