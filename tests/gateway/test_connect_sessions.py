"""`POST /v1/connect-sessions` and `GET /v1/connect-sessions/{id}`: shape, validation, idempotency, tenants."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest

from fleetgate.features.access.scopes import ACCESS_NAMES
from tests.gateway.conftest import GATEWAY_BASE, Tenant

READ = ["vehicle_data", "vehicle_location"]


async def create(api: httpx.AsyncClient, **body: Any) -> httpx.Response:
    return await api.post("/v1/connect-sessions", json={"reference_id": "user-1", "access": READ, **body})


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"]
    return error


class TestCreate:
    async def test_returns_the_hosted_page_and_a_pending_session(self, api: httpx.AsyncClient) -> None:
        response = await create(api, redirect_url="https://app.example.com/tesla/done?from=fleetgate")
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["id"].startswith("cs_")
        assert body["url"] == f"{GATEWAY_BASE}/connect/{body['id']}"
        assert body["status"] == "pending"
        assert body["access"] == READ
        assert body["require_all"] is False
        assert body["reconnect"] is False
        assert body["connection_id"] is None
        assert body["error"] is None
        assert body["redirect_url"] == "https://app.example.com/tesla/done?from=fleetgate"
        assert datetime.fromisoformat(body["expires_at"]) > datetime.fromisoformat(body["created_at"])

    async def test_an_unknown_reference_id_creates_the_customer_once(self, api: httpx.AsyncClient) -> None:
        first = (await create(api, reference_id="user-42")).json()
        second = (await create(api, reference_id="user-42")).json()
        assert first["customer_id"] == second["customer_id"]
        customer = (await api.get(f"/v1/customers/{first['customer_id']}")).json()
        assert customer["reference_id"] == "user-42"

    async def test_an_existing_customer_by_id(self, api: httpx.AsyncClient) -> None:
        customer = (await api.post("/v1/customers", json={"reference_id": "known"})).json()
        response = await api.post("/v1/connect-sessions", json={"customer_id": customer["id"], "access": READ})
        assert response.status_code == 201, response.text
        assert response.json()["customer_id"] == customer["id"]

    async def test_access_is_deduplicated_in_catalogue_order(self, api: httpx.AsyncClient) -> None:
        response = await create(api, access=["vehicle_location", "vehicle_data", "vehicle_location"])
        assert response.json()["access"] == ["vehicle_data", "vehicle_location"]

    async def test_require_all_is_kept(self, api: httpx.AsyncClient) -> None:
        assert (await create(api, require_all=True)).json()["require_all"] is True


class TestValidation:
    async def test_unknown_access_names_the_unknown_and_lists_the_known(self, api: httpx.AsyncClient) -> None:
        error = error_of(await create(api, access=["vehicle_data", "teleport", "fly"]), 422, "validation_error")
        assert error["unknown"] == ["fly", "teleport"]
        assert error["known"] == list(ACCESS_NAMES)
        assert "teleport" in error["message"]
        assert "vehicle_location" in error["message"]

    async def test_empty_access(self, api: httpx.AsyncClient) -> None:
        error = error_of(await create(api, access=[]), 422, "validation_error")
        assert error["field"] == "access"

    async def test_neither_customer_id_nor_reference_id(self, api: httpx.AsyncClient) -> None:
        response = await api.post("/v1/connect-sessions", json={"access": READ})
        assert error_of(response, 422, "validation_error")["field"] == "customer_id"

    async def test_both_customer_id_and_reference_id(self, api: httpx.AsyncClient) -> None:
        customer = (await api.post("/v1/customers", json={"reference_id": "both"})).json()
        response = await create(api, customer_id=customer["id"], reference_id="both")
        error_of(response, 422, "validation_error")

    @pytest.mark.parametrize(
        "url",
        [
            "/relative/path",
            "app.example.com/done",
            "ftp://app.example.com/done",
            "javascript:alert(1)",
            "https://user:secret@app.example.com/done",
            "https://app.example.com@evil.example/done",
            "https://app.example.com/done#fragment",
            "https:///no-host",
            "https://app.example.com/with space",
            "https://app.example.com:99999/done",
        ],
    )
    async def test_bad_redirect_url(self, api: httpx.AsyncClient, url: str) -> None:
        error = error_of(await create(api, redirect_url=url), 422, "validation_error")
        assert error["field"] == "redirect_url"
        assert error["remedy"]

    async def test_a_refused_request_creates_no_customer(self, api: httpx.AsyncClient) -> None:
        await create(api, reference_id="never", redirect_url="ftp://nope")
        customers = (await api.get("/v1/customers")).json()["data"]
        assert [c["reference_id"] for c in customers] == []

    async def test_unknown_fields_are_refused(self, api: httpx.AsyncClient) -> None:
        error_of(await create(api, scopes=["vehicle_cmds"]), 422, "validation_error")


class TestIdempotency:
    async def test_same_key_and_body_return_the_same_session(self, api: httpx.AsyncClient) -> None:
        headers = {"Idempotency-Key": "order-1"}
        first = await api.post("/v1/connect-sessions", json={"reference_id": "u", "access": READ}, headers=headers)
        again = await api.post(
            "/v1/connect-sessions", json={"access": READ, "reference_id": "u", "require_all": False}, headers=headers
        )
        assert first.status_code == 201, first.text
        assert again.status_code == 200, again.text
        assert again.json() == first.json()

    async def test_same_key_with_another_body_is_a_conflict(self, api: httpx.AsyncClient) -> None:
        headers = {"Idempotency-Key": "order-2"}
        first = await api.post("/v1/connect-sessions", json={"reference_id": "u", "access": READ}, headers=headers)
        other = await api.post(
            "/v1/connect-sessions", json={"reference_id": "u", "access": ["energy_data"]}, headers=headers
        )
        error = error_of(other, 409, "idempotency_conflict")
        assert error["connect_session_id"] == first.json()["id"]

    async def test_other_keys_make_other_sessions(self, api: httpx.AsyncClient) -> None:
        body = {"reference_id": "u", "access": READ}
        one = await api.post("/v1/connect-sessions", json=body, headers={"Idempotency-Key": "a"})
        two = await api.post("/v1/connect-sessions", json=body, headers={"Idempotency-Key": "b"})
        three = await api.post("/v1/connect-sessions", json=body)
        assert len({one.json()["id"], two.json()["id"], three.json()["id"]}) == 3

    async def test_keys_belong_to_one_workspace(self, api: httpx.AsyncClient, other_tenant: Tenant) -> None:
        body = {"reference_id": "u", "access": READ}
        mine = await api.post("/v1/connect-sessions", json=body, headers={"Idempotency-Key": "shared"})
        theirs = await other_tenant.client.post(
            "/v1/connect-sessions", json=body, headers={"Idempotency-Key": "shared"}
        )
        assert theirs.status_code == 201, theirs.text
        assert theirs.json()["id"] != mine.json()["id"]

    async def test_a_key_that_is_too_long(self, api: httpx.AsyncClient) -> None:
        response = await api.post(
            "/v1/connect-sessions", json={"reference_id": "u", "access": READ}, headers={"Idempotency-Key": "k" * 201}
        )
        error_of(response, 422, "validation_error")


class TestGet:
    async def test_reads_back_the_created_session(self, api: httpx.AsyncClient) -> None:
        created = (await create(api)).json()
        response = await api.get(f"/v1/connect-sessions/{created['id']}")
        assert response.status_code == 200
        assert response.json() == created

    async def test_unknown_session_is_404(self, api: httpx.AsyncClient) -> None:
        error_of(await api.get("/v1/connect-sessions/cs_000000000000000000000000"), 404, "not_found")

    async def test_needs_an_api_key(self, api: httpx.AsyncClient, gateway: httpx.AsyncClient) -> None:
        created = (await create(api)).json()
        error_of(await gateway.get(f"/v1/connect-sessions/{created['id']}"), 401, "unauthenticated")


class TestTenantIsolation:
    async def test_another_workspaces_session_is_404(self, api: httpx.AsyncClient, other_tenant: Tenant) -> None:
        created = (await create(api)).json()
        error_of(await other_tenant.client.get(f"/v1/connect-sessions/{created['id']}"), 404, "not_found")

    async def test_another_workspaces_customer_cannot_be_used(
        self, api: httpx.AsyncClient, other_tenant: Tenant
    ) -> None:
        theirs = (await other_tenant.client.post("/v1/customers", json={"reference_id": "theirs"})).json()
        response = await api.post("/v1/connect-sessions", json={"customer_id": theirs["id"], "access": READ})
        error_of(response, 404, "not_found")

    async def test_the_same_reference_id_is_another_customer_in_another_workspace(
        self, api: httpx.AsyncClient, other_tenant: Tenant
    ) -> None:
        mine = (await create(api, reference_id="same")).json()
        theirs = (await create(other_tenant.client, reference_id="same")).json()
        assert mine["customer_id"] != theirs["customer_id"]
