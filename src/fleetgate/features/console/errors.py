"""What ends a console request early: a redirect (to the login page, mostly) or an error page, never JSON."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response

from fleetgate.features.console.cookies import forget_login
from fleetgate.features.console.render import render, see_other
from fleetgate.infra.runtime import Runtime


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
