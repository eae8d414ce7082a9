"""Seeding the simulator through its control API, as a test would by hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from fleetgate.protocol.keys import private_key_pem, public_key_pem, random_private_key

ALL_USER_SCOPES = (
    "openid offline_access user_data vehicle_device_data vehicle_location vehicle_cmds "
    "vehicle_charging_cmds energy_device_data energy_cmds"
)
REDIRECT_URI = "https://app.example.com/callback"


@dataclass
class SimFactory:
    sim: httpx.AsyncClient

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.sim.post(path, json=body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    async def app(self, *, register: bool = True, domain: str = "app.example.com", **overrides: Any) -> dict[str, Any]:
        """A developer app, registered with a fresh key pair in every region unless `register` is false."""
        body = {
            "name": "Test App",
            "redirect_uris": [REDIRECT_URI],
            "allowed_origins": [f"https://{domain}"],
            **overrides,
        }
        app = await self._post("/sim/apps", body)
        key = random_private_key()
        app["private_key_pem"] = private_key_pem(key).decode()
        app["public_key_pem"] = public_key_pem(key).decode()
        app["private_key"] = key
        if register:
            await self._post(
                f"/sim/apps/{app['client_id']}/partner_accounts",
                {"domain": domain, "public_key": app["public_key_pem"]},
            )
        return app

    async def account(self, email: str = "owner@example.com", region: str = "na") -> dict[str, Any]:
        return await self._post("/sim/accounts", {"email": email, "region": region})

    async def vehicle(self, account_id: str, **fields: Any) -> dict[str, Any]:
        return await self._post(f"/sim/accounts/{account_id}/vehicles", fields)

    async def energy_site(self, account_id: str, **fields: Any) -> dict[str, Any]:
        return await self._post(f"/sim/accounts/{account_id}/energy_sites", fields)

    async def tokens(self, client_id: str, account_id: str, scopes: str = ALL_USER_SCOPES) -> dict[str, Any]:
        return await self._post("/sim/tokens", {"client_id": client_id, "account_id": account_id, "scopes": scopes})

    async def pair(self, vin: str, public_key_pem_text: str, role: str = "owner") -> dict[str, Any]:
        return await self._post(f"/sim/vehicles/{vin}/keys", {"public_key": public_key_pem_text, "role": role})

    async def advance(self, seconds: float) -> None:
        response = await self.sim.post("/sim/clock", json={"advance_seconds": seconds})
        assert response.status_code == 200, response.text

    async def setup(self, *, scopes: str = ALL_USER_SCOPES, region: str = "na", **vehicle: Any) -> dict[str, Any]:
        """App + account + one vehicle + tokens: the common starting point of a Fleet API test."""
        app = await self.app()
        account = await self.account(region=region)
        car = await self.vehicle(account["id"], **vehicle)
        tokens = await self.tokens(app["client_id"], account["id"], scopes)
        return {
            "app": app,
            "account": account,
            "vehicle": car,
            "tokens": tokens,
            "headers": {"Authorization": f"Bearer {tokens['access_token']}"},
            "base": f"/{region}/api/1",
        }
