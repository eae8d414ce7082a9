"""How a workspace presents its application on the hosted pages: a display name, a logo and an accent colour.

Each value is checked here, once, for the API and the command line alike. The accent colour also decides the
colour of text on it (white or near-black, whichever contrasts more) and a darker shade for text on white, so that a
pale brand colour still gives readable buttons and links.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from fleetgate.infra.errors import ValidationFailed

MAX_NAME = 200
MAX_LOGO_URL = 2048
# A data: logo is written into every hosted page, so it is kept small.
MAX_LOGO_DATA = 64 * 1024
LOGO_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
DARK_TEXT = "#16181d"
WHITE = "#ffffff"
# WCAG AA for normal text.
READABLE = 4.5


def _invalid(field: str, problem: str, example: str) -> ValidationFailed:
    return ValidationFailed(f"{field} {problem}.", field=field, remedy={"action": "fix_request", "example": example})


def check_display_name(value: str) -> str:
    name = value.strip()
    if not name or len(name) > MAX_NAME:
        raise _invalid("display_name", f"needs 1 to {MAX_NAME} characters", "Acme Charging")
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name):
        raise _invalid("display_name", "must not contain control characters", "Acme Charging")
    return name


def check_logo_url(value: str) -> str:
    """An https:// URL (the end user's browser fetches it) or a base64 data: URL of a raster or SVG image."""
    example = "https://app.example.com/logo.svg"
    url = value.strip()
    if url.lower().startswith("data:"):
        return _check_data_logo(url)
    if len(url) > MAX_LOGO_URL:
        raise _invalid("logo_url", f"is longer than {MAX_LOGO_URL} characters", example)
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise _invalid("logo_url", "must not contain spaces or control characters", example)
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        raise _invalid("logo_url", "is not a valid URL", example) from exc
    if parts.scheme.lower() != "https":
        raise _invalid("logo_url", "must be an https:// URL or a data:image/…;base64 URL", example)
    if not parts.hostname:
        raise _invalid("logo_url", "must name a host", example)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _invalid("logo_url", "must not contain credentials (user:password@)", example)
    return url


def _check_data_logo(url: str) -> str:
    example = "data:image/png;base64,iVBORw0KGgo…"
    if len(url) > MAX_LOGO_DATA:
        too_long = f"as a data: URL is longer than {MAX_LOGO_DATA} characters; link an https:// URL instead"
        raise _invalid("logo_url", too_long, example)
    header, comma, payload = url.partition(",")
    kind, _, encoding = header[len("data:") :].partition(";")
    if not comma or kind.lower() not in LOGO_TYPES or encoding.lower() != "base64":
        raise _invalid("logo_url", f"as a data: URL must be base64 of one of {', '.join(LOGO_TYPES)}", example)
    try:
        base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid("logo_url", "has a data: URL whose content is not valid base64", example) from exc
    if not payload:
        raise _invalid("logo_url", "has an empty data: URL", example)
    return f"data:{kind.lower()};base64,{payload}"


def check_accent_color(value: str) -> str:
    color = value.strip()
    if not HEX_COLOR.match(color):
        raise _invalid("accent_color", "must be a colour as #rrggbb", "#0f766e")
    return color.lower()


def _channels(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _luminance(color: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(accent: str) -> str:
    """White or near-black: whichever reads better on a button of this colour."""
    return WHITE if contrast(accent, WHITE) >= contrast(accent, DARK_TEXT) else DARK_TEXT


def ink(accent: str) -> str:
    """The accent, darkened as little as needed to be readable as text on white (links, outlined buttons)."""
    r, g, b = _channels(accent)
    for step in range(21):
        keep = 1 - step / 20
        shade = f"#{round(r * keep):02x}{round(g * keep):02x}{round(b * keep):02x}"
        if contrast(shade, WHITE) >= READABLE:
            return shade
    return DARK_TEXT


@dataclass(frozen=True, slots=True)
class Palette:
    accent: str
    on_accent: str
    ink: str


def palette(accent: str) -> Palette:
    return Palette(accent=accent, on_accent=text_on(accent), ink=ink(accent))
