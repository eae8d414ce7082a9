"""The operator's records: workspaces and their API keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from fleetgate.cli.database import in_transaction
from fleetgate.cli.errors import CliError
from fleetgate.cli.output import notes

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncSession

    from fleetgate.infra.models import Workspace

workspace_app = typer.Typer(help="Workspaces: the developers' tenants.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys of a workspace.", no_args_is_help=True)


@workspace_app.command("create")
def workspace_create(name: Annotated[str, typer.Argument(help="A name for the workspace.")]) -> None:
    """Create a workspace on the configured database; prints its id."""
    from fleetgate.config import Settings
    from fleetgate.features.workspaces.service import create_workspace

    name = name.strip()
    if not name or len(name) > 200:
        raise CliError("a workspace name needs 1 to 200 characters")

    async def work(session: AsyncSession) -> str:
        return (await create_workspace(session, name)).id

    workspace_id = in_transaction(Settings(), work)
    typer.echo(workspace_id)
    notes.print(f"Created workspace {escape(repr(name))}. Next: fleetgate apikey create --workspace {workspace_id}")


@workspace_app.command("list")
def workspace_list() -> None:
    """List the workspaces: id, name, creation time."""
    from sqlalchemy import select

    from fleetgate.config import Settings
    from fleetgate.infra.models import Workspace

    async def work(session: AsyncSession) -> list[tuple[str, str, str]]:
        rows = await session.scalars(select(Workspace).order_by(Workspace.created_at, Workspace.id))
        return [(row.id, row.name, row.created_at.isoformat(timespec="seconds")) for row in rows]

    for workspace_id, name, created_at in in_transaction(Settings(), work):
        typer.echo(f"{workspace_id}\t{name}\t{created_at}")


@workspace_app.command("brand")
def workspace_brand(
    workspace: Annotated[str, typer.Argument(help="The workspace's id (or its name, when no other has it).")],
    display_name: Annotated[
        str | None, typer.Option(help='The application\'s name on the hosted pages; "" goes back to the name.')
    ] = None,
    logo_url: Annotated[
        str | None, typer.Option(help='An https:// URL or a data:image/…;base64 URL of the logo; "" removes it.')
    ] = None,
    accent_color: Annotated[
        str | None, typer.Option(help='Buttons and links of the hosted pages, as #rrggbb; "" for the default.')
    ] = None,
) -> None:
    """Set how the hosted pages present the workspace's application; prints what they now use."""
    from fleetgate.config import Settings
    from fleetgate.features.workspaces.service import set_branding
    from fleetgate.infra.errors import ValidationFailed

    given = {"display_name": display_name, "logo_url": logo_url, "accent_color": accent_color}
    changes = {field: value or None for field, value in given.items() if value is not None}
    if not changes:
        raise CliError("nothing to change: give --display-name, --logo-url or --accent-color")

    async def work(session: AsyncSession) -> list[str]:
        found = await find_workspace(session, workspace)
        try:
            set_branding(found, changes)
        except ValidationFailed as exc:
            raise CliError(exc.message) from exc
        logo = found.logo_url or "-"
        return [
            f"display_name\t{found.display_name or found.name}",
            f"logo_url\t{logo if len(logo) <= 80 else logo[:77] + '...'}",
            f"accent_color\t{found.accent_color or '-'}",
        ]

    for line in in_transaction(Settings(), work):
        typer.echo(line)


async def find_workspace(session: AsyncSession, wanted: str) -> Workspace:
    """By id, or by name when exactly one workspace has it."""
    from sqlalchemy import select

    from fleetgate.infra.models import Workspace

    workspace = await session.get(Workspace, wanted)
    if workspace is not None:
        return workspace
    named = list(await session.scalars(select(Workspace).where(Workspace.name == wanted)))
    if len(named) == 1:
        return named[0]
    if named:
        ids = ", ".join(sorted(w.id for w in named))
        raise CliError(f"{len(named)} workspaces are named {wanted!r} ({ids}); pass the id instead")
    raise CliError(
        f"no workspace {wanted!r} in this database; `fleetgate workspace list` shows them, "
        "`fleetgate workspace create NAME` makes one"
    )


@apikey_app.command("create")
def apikey_create(
    workspace: Annotated[str, typer.Option(help="The workspace's id (or its name, when no other has it).")],
    name: Annotated[str, typer.Option(help="A label to tell keys apart.")] = "",
) -> None:
    """Create an API key for a workspace; prints the key, the only time it is shown."""
    from fleetgate.config import Settings
    from fleetgate.features.workspaces.service import create_api_key

    if len(name) > 200:
        raise CliError("a key name has at most 200 characters")

    async def work(session: AsyncSession) -> tuple[str, str]:
        found = await find_workspace(session, workspace)
        _, fresh = await create_api_key(session, found.id, name)
        return found.id, fresh.key

    workspace_id, key = in_transaction(Settings(), work)
    typer.echo(key)
    notes.print(
        f"API key for workspace {workspace_id}, shown once: fleetgate stores only its hash. "
        "Send it as `Authorization: Bearer <key>`."
    )


@apikey_app.command("list")
def apikey_list(
    workspace: Annotated[str, typer.Option(help="The workspace's id (or its name, when no other has it).")],
) -> None:
    """List a workspace's API keys: id, prefix, name, creation, last use, revocation (never the key)."""
    from sqlalchemy import select

    from fleetgate.config import Settings
    from fleetgate.infra.models import ApiKey

    def when(value: datetime | None) -> str:
        return value.isoformat(timespec="seconds") if value is not None else "-"

    async def work(session: AsyncSession) -> list[str]:
        found = await find_workspace(session, workspace)
        keys = await session.scalars(
            select(ApiKey).where(ApiKey.workspace_id == found.id).order_by(ApiKey.created_at, ApiKey.id)
        )
        return [
            "\t".join(
                (
                    key.id,
                    key.prefix,
                    key.name or "-",
                    when(key.created_at),
                    when(key.last_used_at),
                    when(key.revoked_at),
                )
            )
            for key in keys
        ]

    for line in in_transaction(Settings(), work):
        typer.echo(line)


@apikey_app.command("revoke")
def apikey_revoke(
    key: Annotated[str, typer.Argument(help="The key's id (`key_…`) or its prefix (`fg_…`, as `list` shows it).")],
) -> None:
    """Revoke an API key: refused at once by new requests to servers that have not used it in the last
    `FLEETGATE_API_KEY_CACHE_SECONDS` (5 s), and by every server once that time has passed."""
    from sqlalchemy import or_, select

    from fleetgate.config import Settings
    from fleetgate.infra.db.base import utcnow
    from fleetgate.infra.models import ApiKey

    async def work(session: AsyncSession) -> tuple[str, bool]:
        found = list(await session.scalars(select(ApiKey).where(or_(ApiKey.id == key, ApiKey.prefix == key))))
        if not found:
            raise CliError(f"no API key {key!r} in this database; `fleetgate apikey list --workspace W` shows them")
        if len(found) > 1:
            raise CliError(f"{len(found)} keys have the prefix {key!r}; pass the key's id instead")
        api_key = found[0]
        if api_key.revoked_at is not None:
            return api_key.id, False
        api_key.revoked_at = utcnow()
        return api_key.id, True

    settings = Settings()
    key_id, revoked = in_transaction(settings, work)
    typer.echo(key_id)
    if revoked:
        notes.print(
            f"Revoked {key_id}. Servers that checked it in the last {settings.api_key_cache_seconds:g} s accept it "
            "until then (FLEETGATE_API_KEY_CACHE_SECONDS)."
        )
    else:
        notes.print(f"{key_id} was already revoked.")
