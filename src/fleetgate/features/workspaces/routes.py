from __future__ import annotations

from fastapi import APIRouter

from fleetgate.features.workspaces.schemas import WorkspaceOut, WorkspacePatch
from fleetgate.features.workspaces.service import get_workspace, set_branding
from fleetgate.infra.dependencies import SessionDep, WorkspaceDep
from fleetgate.infra.errors import ValidationFailed
from fleetgate.infra.openapi import documented_errors

router = APIRouter(tags=["workspace"])


@router.get("/v1/workspace", name="get_workspace", summary="Read the API key's workspace")
async def get(workspace: WorkspaceDep, session: SessionDep) -> WorkspaceOut:
    """The workspace the API key belongs to, with how the hosted pages present it."""
    return WorkspaceOut.model_validate(await get_workspace(session, workspace.id))


@router.patch(
    "/v1/workspace",
    name="update_workspace",
    summary="Update how the hosted pages present the workspace",
    responses=documented_errors(
        ValidationFailed, s422="a `display_name`, `logo_url` or `accent_color` that is not valid, named in `field`"
    ),
)
async def update(body: WorkspacePatch, workspace: WorkspaceDep, session: SessionDep) -> WorkspaceOut:
    """Sets how the hosted pages present the application: its name, logo and accent colour."""
    row = await get_workspace(session, workspace.id)
    set_branding(row, {field: getattr(body, field) for field in body.model_fields_set})
    await session.flush()
    return WorkspaceOut.model_validate(row)
