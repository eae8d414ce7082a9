"""What ends a console request early: a redirect (to the login page, mostly) or an error page, never JSON."""

from __future__ import annotations

from typing import TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.access.capabilities import VEHICLE
from fleetgate.features.console.cookies import forget_login
from fleetgate.features.console.render import render, see_other
from fleetgate.infra.models import Device
from fleetgate.infra.runtime import Runtime
from fleetgate.infra.workspace_rows import WorkspaceRow, find_in_workspace

Row = TypeVar("Row", bound=WorkspaceRow)


class ConsoleRedirect(Exception):
    """`logout`: the login cookie is forgotten too (expired, or its key revoked)."""

    def __init__(self, location: str, *, logout: bool = False) -> None:
        super().__init__(location)
        self.location = location
        self.logout = logout


class ConsolePageError(Exception):
    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


def page_not_found(what: str) -> ConsolePageError:
    return ConsolePageError(404, "Not found", f"There is no {what} with this id in your workspace.")


async def workspace_row(session: AsyncSession, model: type[Row], workspace_id: str, row_id: str, what: str) -> Row:
    """The row, or the console's 404 page (see `infra.workspace_rows`)."""
    row = await find_in_workspace(session, model, workspace_id, row_id)
    if row is None:
        raise page_not_found(what)
    return row


async def workspace_vehicle(session: AsyncSession, workspace_id: str, device_id: str) -> Device:
    """A vehicle of the workspace, or the console's 404 page (an energy site too: the action is a car's)."""
    row = await workspace_row(session, Device, workspace_id, device_id, "device")
    if row.type != VEHICLE:
        raise page_not_found("vehicle")
    return row


async def redirect(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ConsoleRedirect)
    response = see_other(exc.location)
    if exc.logout:
        runtime: Runtime = request.app.state.runtime
        forget_login(response, runtime)
    return response


async def error_page(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ConsolePageError)
    return render(request, "error.html", {"title": exc.title, "message": exc.message}, status=exc.status)


def install_console_errors(app: FastAPI) -> None:
    app.add_exception_handler(ConsoleRedirect, redirect)
    app.add_exception_handler(ConsolePageError, error_page)
