"""Reading an authorize request, and where its answer goes.

Two kinds of bad request (RFC 6749 section 4.1.2.1): while the client or its redirect_uri cannot be trusted, the
user sees an error page and is never sent anywhere; once they can, every other problem goes back to the
redirect_uri as `error`, `error_description` and `state`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fleetgate.simulator.auth.scopes import IMPLICIT_SCOPES, SCOPES, SCOPES_BY_NAME
from fleetgate.simulator.world import DeveloperApp, World

PKCE_METHODS = ("S256", "plain")
# RFC 7636 section 4.1/4.2: 43 to 128 characters of the unreserved set.
PKCE_VALUE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
DEFAULT_LOCALE = "en-US"
SINGLE_VALUED = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "prompt_missing_scopes",
    "require_requested_scopes",
    "show_keypair_step",
    "locale",
    "prompt",
    "login_hint",
)


class UntrustedAuthorizeRequest(Exception):
    """The client or its redirect_uri is unknown: shown on a page, never redirected."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


class AuthorizeRedirectError(Exception):
    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    app: DeveloperApp
    redirect_uri: str
    scopes: frozenset[str]
    oauth_state: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    prompt_missing_scopes: bool
    require_requested_scopes: bool
    show_keypair_step: bool
    locale: str
    prompt: frozenset[str]
    login_hint: str

    @property
    def boxes(self) -> tuple[str, ...]:
        """The requested scopes the user decides on, in the order Tesla lists them."""
        return tuple(s.name for s in SCOPES if s.name in self.scopes and s.name not in IMPLICIT_SCOPES)

    @property
    def implicit(self) -> frozenset[str]:
        return self.scopes & IMPLICIT_SCOPES

    def error_location(self, error: str, description: str) -> str:
        return with_query(
            self.redirect_uri, {"error": error, "error_description": description, "state": self.oauth_state}
        )


def with_query(url: str, params: Mapping[str, str | None]) -> str:
    """Adds parameters to a URL, keeping whatever query it already had."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, value) for name, value in params.items() if value is not None]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def parse_authorization_request(
    world: World, params: Mapping[str, str], repeated: Sequence[str]
) -> AuthorizationRequest:
    """`repeated` names the parameters that appeared more than once (RFC 6749 forbids it)."""
    client_id = params.get("client_id", "")
    app = world.apps.get(client_id)
    if app is None or "client_id" in repeated:
        raise UntrustedAuthorizeRequest("invalid_client", "The application is not recognized.")
    redirect_uri = params.get("redirect_uri", "")
    if not redirect_uri or "redirect_uri" in repeated:
        raise UntrustedAuthorizeRequest("invalid_request", "The redirect_uri parameter is missing.")
    if redirect_uri not in app.redirect_uris:
        raise UntrustedAuthorizeRequest(
            "invalid_redirect_url", "The redirect_uri is not registered for this application."
        )

    oauth_state = params.get("state", "")

    def fail(error: str, description: str) -> AuthorizeRedirectError:
        return AuthorizeRedirectError(
            with_query(redirect_uri, {"error": error, "error_description": description, "state": oauth_state or None})
        )

    if repeated:
        raise fail("invalid_request", f"The parameter {repeated[0]} was given more than once.")
    response_type = params.get("response_type", "")
    if not response_type:
        raise fail("invalid_request", "The response_type parameter is missing.")
    if response_type != "code":
        raise fail("unsupported_response_type", "Only response_type=code is supported.")
    if not oauth_state:
        raise fail("invalid_request", "The state parameter is missing.")
    requested = params.get("scope", "").split()
    if not requested:
        raise fail("invalid_request", "The scope parameter is missing.")
    unknown = [name for name in requested if name not in SCOPES_BY_NAME]
    if unknown:
        raise fail("invalid_scope", f"Unknown scope: {' '.join(unknown)}.")
    partner_only = [name for name in requested if not SCOPES_BY_NAME[name].user_grantable]
    if partner_only:
        raise fail("invalid_scope", f"Scope not available to third-party tokens: {' '.join(partner_only)}.")

    challenge = params.get("code_challenge") or None
    method = params.get("code_challenge_method") or None
    if method is not None and challenge is None:
        raise fail("invalid_request", "code_challenge_method was given without a code_challenge.")
    if challenge is not None:
        method = method or "plain"  # RFC 7636 section 4.3
        if method not in PKCE_METHODS:
            raise fail("invalid_request", "code_challenge_method must be S256 or plain.")
        if not PKCE_VALUE.match(challenge):
            raise fail("invalid_request", "code_challenge must be 43 to 128 unreserved characters.")

    return AuthorizationRequest(
        app=app,
        redirect_uri=redirect_uri,
        scopes=frozenset(requested),
        oauth_state=oauth_state,
        nonce=params.get("nonce") or None,
        code_challenge=challenge,
        code_challenge_method=method,
        prompt_missing_scopes=_flag(params.get("prompt_missing_scopes")),
        require_requested_scopes=_flag(params.get("require_requested_scopes")),
        show_keypair_step=_flag(params.get("show_keypair_step")),
        locale=params.get("locale") or DEFAULT_LOCALE,
        prompt=frozenset(params.get("prompt", "").split()),
        login_hint=params.get("login_hint", "").strip(),
    )


def repeated_parameters(pairs: Sequence[tuple[str, str]]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for name, _ in pairs:
        if name in SINGLE_VALUED and name in seen and name not in repeated:
            repeated.append(name)
        seen.add(name)
    return repeated
