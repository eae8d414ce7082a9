from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from fleetgate.features.workspaces.branding import MAX_LOGO_DATA, MAX_NAME


class WorkspaceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str = Field(description="The operator's name for the workspace")
    display_name: str | None = Field(description="The application's name on the hosted pages (`name` when null)")
    logo_url: str | None = Field(description="Shown on the hosted pages: an https:// URL or a data:image URL")
    accent_color: str | None = Field(description="Buttons and links of the hosted pages, as #rrggbb")
    created_at: datetime


class WorkspacePatch(BaseModel):
    """Only the fields sent change; `null` clears one."""

    model_config = ConfigDict(extra="forbid")

    display_name: str | None = Field(default=None, max_length=MAX_NAME, examples=["Acme Charging"])
    logo_url: str | None = Field(
        default=None,
        max_length=MAX_LOGO_DATA,
        description="https:// URL, or a base64 data: URL of a PNG, JPEG, GIF, WebP or SVG image (up to 64 KiB)",
        examples=["https://app.example.com/logo.svg"],
    )
    accent_color: str | None = Field(default=None, description="#rrggbb", examples=["#0f766e"])
