"""The application's `redirect_url`: what it may be, and how the outcome is added to it."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from fleetgate.infra.errors import ValidationFailed


def check_redirect_url(url: str) -> str:
    """An absolute http(s) URL without credentials or fragment: the end user's browser is sent there with ids in the
    query, so anything that could hide where it really goes (userinfo) or drop the query (a fragment) is refused."""

    def refuse(problem: str) -> ValidationFailed:
        return ValidationFailed(
            f"redirect_url {problem}.",
            field="redirect_url",
            remedy={"action": "fix_request", "example": "https://app.example.com/tesla/connected"},
        )

    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise refuse("must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is not a number raises here
    except ValueError as exc:
        raise refuse("is not a valid URL") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise refuse("must be an absolute http:// or https:// URL")
    if not parts.hostname:
        raise refuse("must name a host")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise refuse("must not contain credentials (user:password@)")
    if "#" in url:
        raise refuse("must not contain a fragment (#…): the outcome is sent in the query")
    return url


def with_query(url: str, params: Mapping[str, str | None]) -> str:
    """`url` with `params` appended to whatever query it already has (`None` values left out)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(name, value) for name, value in params.items() if value is not None]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
