"""The result of a console form, shown once on the page its redirect leads to (redirect-after-POST).

It rides in a cookie of its own, encrypted and bound to its purpose like the login cookie (`login_token`): HttpOnly,
SameSite=Strict, scoped to /console, short-lived, and deleted by the first page that shows it. A new API key is
shown this way too, once: there is no other server-side place for it, and the cookie holds it only until the very
next page, encrypted with the app's key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from fastapi import Request
from fastapi.responses import Response

from fleetgate.features.console.cookies import PATH, secure
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.security.encryption import DecryptionError

FLASH_COOKIE = "fleetgate_console_flash"
CONTEXT = "console_flash"
LIFETIME_SECONDS = 300
MESSAGE_LIMIT = 1000

Tone = Literal["ok", "bad"]


@dataclass(frozen=True, slots=True)
class Flash:
    tone: Tone
    message: str
    link: str | None = None  # a console path, e.g. the command just queued
    link_text: str | None = None
    secret: str | None = None  # a new API key, shown once


def set_flash(response: Response, runtime: Runtime, flash: Flash) -> None:
    payload = json.dumps(
        {
            "tone": flash.tone,
            "message": flash.message[:MESSAGE_LIMIT],
            "link": flash.link,
            "link_text": flash.link_text,
            "secret": flash.secret,
        }
    )
    response.set_cookie(
        FLASH_COOKIE,
        runtime.encryptor.encrypt(payload, context=CONTEXT).rstrip("="),
        max_age=LIFETIME_SECONDS,
        path=PATH,
        secure=secure(runtime),
        httponly=True,
        samesite="strict",
    )


def read_flash(request: Request, runtime: Runtime) -> Flash | None:
    token = request.cookies.get(FLASH_COOKIE)
    if not token or len(token) > 4000:
        return None
    version, _, body = token.partition(".")
    try:
        found = json.loads(runtime.encryptor.decrypt(f"{version}.{body}{'=' * (-len(body) % 4)}", context=CONTEXT))
        tone: Tone = "ok" if found["tone"] == "ok" else "bad"
        link = found.get("link")
        return Flash(
            tone,
            str(found["message"]),
            link if isinstance(link, str) and link.startswith("/console") else None,
            found.get("link_text"),
            found.get("secret"),
        )
    except (DecryptionError, ValueError, KeyError, TypeError):
        return None


def forget_flash(response: Response, runtime: Runtime) -> None:
    response.delete_cookie(FLASH_COOKIE, path=PATH, secure=secure(runtime), httponly=True, samesite="strict")
