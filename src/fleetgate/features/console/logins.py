"""Console logins kept on the server: a cookie is good only while its login's row exists, so logging out (which
deletes the row) ends that login for every copy of the cookie, not just the browser's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from fleetgate.features.console.login_token import LIFETIME
from fleetgate.infra.models import ConsoleLogin
from fleetgate.infra.security.ids import new_id


async def start_login(session: AsyncSession, api_key_id: str, now: datetime) -> ConsoleLogin:
    # Expired logins are of no use to anyone: cleared here, where new ones are made, so the table stays small.
    await session.execute(delete(ConsoleLogin).where(ConsoleLogin.expires_at <= now))
    login = ConsoleLogin(id=new_id("clg"), api_key_id=api_key_id, created_at=now, expires_at=now + LIFETIME)
    session.add(login)
    await session.flush()
    return login


async def login_is_live(session: AsyncSession, login_id: str, api_key_id: str, now: datetime) -> bool:
    login = await session.get(ConsoleLogin, login_id)
    return login is not None and login.api_key_id == api_key_id and now < login.expires_at


async def end_login(session: AsyncSession, login_id: str) -> None:
    await session.execute(delete(ConsoleLogin).where(ConsoleLogin.id == login_id))
