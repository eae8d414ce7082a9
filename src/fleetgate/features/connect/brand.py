"""The application as the hosted pages present it: the workspace's display name, its logo or a monogram, and its
accent colour, served as a stylesheet of its own (the pages' Content-Security-Policy allows no inline style)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.workspaces.branding import HEX_COLOR, palette
from fleetgate.infra.models import Workspace

router = APIRouter()

UNKNOWN_APP = "The application"
ACCENT_PATH = re.compile(r"^([0-9a-f]{6})\.css$")


@dataclass(frozen=True, slots=True)
class Brand:
    name: str
    monogram: str
    logo_url: str | None = None
    css_url: str | None = None

    @property
    def logo_origin(self) -> str | None:
        """Where an https logo comes from, for the page's img-src (a data: logo needs nothing more)."""
        if self.logo_url is None or not self.logo_url.startswith("https://"):
            return None
        parts = urlsplit(self.logo_url)
        return f"https://{parts.netloc}"


def monogram(name: str) -> str:
    """Up to two initials: "Acme Charging" → "AC"."""
    initials = [word[0] for word in re.findall(r"\w+", name)]
    return "".join(initials[:2]).upper() or "?"


def brand_of(workspace: Workspace | None) -> Brand:
    if workspace is None:
        return Brand(UNKNOWN_APP, monogram(UNKNOWN_APP))
    name = workspace.display_name or workspace.name
    accent = workspace.accent_color
    css_url = f"/connect/accent/{accent[1:]}.css" if accent and HEX_COLOR.match(accent) else None
    return Brand(name, monogram(name), workspace.logo_url, css_url)


async def load_brand(session: AsyncSession, workspace_id: str) -> Brand:
    return brand_of(await session.get(Workspace, workspace_id))


def accent_css(accent: str) -> str:
    colours = palette(accent)
    return (
        ":root {\n"
        f"  --accent: {colours.accent};\n"
        f"  --on-accent: {colours.on_accent};\n"
        f"  --accent-ink: {colours.ink};\n"
        "}\n"
    )


@router.get("/connect/accent/{file}")
async def accent_stylesheet(file: str) -> Response:
    """The accent colour's custom properties; the file is named by the colour, so it never changes."""
    match = ACCENT_PATH.match(file)
    if match is None:
        return Response("/* not an accent colour */\n", status_code=404, media_type="text/css")
    return Response(
        accent_css(f"#{match.group(1)}"),
        media_type="text/css",
        headers={"Cache-Control": "public, max-age=31536000, immutable", "X-Content-Type-Options": "nosniff"},
    )
