"""Health, the public key file and the error shape, on both databases."""

from __future__ import annotations

from typing import Any

import httpx

from fleetgate.protocol.keys import public_key_pem


class TestHealth:
    async def test_healthz_reaches_the_database(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert response.headers["x-request-id"].startswith("req_")


class TestPublicKey:
    async def test_serves_the_apps_public_key_as_pem(
        self, gateway: httpx.AsyncClient, tesla_app: dict[str, Any]
    ) -> None:
        response = await gateway.get("/.well-known/appspecific/com.tesla.3p.public-key.pem")
        assert response.status_code == 200
        assert response.content == public_key_pem(tesla_app["private_key"])


class TestAuthentication:
    async def test_missing_key_is_401_with_the_error_shape(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/v1/customers")
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == "unauthenticated"
        assert error["request_id"] == response.headers["x-request-id"]

    async def test_unknown_key_is_401(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/v1/customers", headers={"Authorization": "Bearer fg_0000_" + "x" * 40})
        assert response.status_code == 401

    async def test_unknown_route_is_404_in_the_same_shape(self, gateway: httpx.AsyncClient) -> None:
        response = await gateway.get("/v1/nothing-here")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
