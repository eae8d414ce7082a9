"""Linking Tesla accounts to a tenant's customers as tests need them, driving the simulator as a user would.

`link_account` takes the short way (the simulator's scripted consent, a real code exchange, then the gateway's own
`link_connection` + `sync_devices`, as the connect callback calls them), and answers the devices' ids with the
connection; `Connector` (the gateway tests' `connect` fixture) makes the Tesla account first. `connect_hosted` goes
through the API and the hosted pages. `change_access_on_tesla` drives Tesla's manage-access page over HTTP.
`device_ids` finds the gateway's ids of devices by VIN or energy site id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from fleetgate.features.access.scopes import scopes_for
from fleetgate.features.connections.service import link_connection
from fleetgate.features.devices.discovery import sync_devices
from fleetgate.infra.db.release import release
from fleetgate.infra.runtime import Runtime
from fleetgate.tesla.claims import read_claims
from fleetgate.tesla.oauth import OAuthClient, TokenSet, authorization_request
from tests.simulator.auth_helpers import page
from tests.simulator.factories import SimFactory

ALL_ACCESS = (
    "vehicle_data",
    "vehicle_location",
    "vehicle_commands",
    "vehicle_charging_commands",
    "energy_data",
    "energy_commands",
)
MANAGE = "/user/revoke/consent"


@dataclass
class TeslaAccount:
    """A Tesla account in the simulator with what it owns."""

    id: str
    email: str
    region: str
    vins: list[str] = field(default_factory=list)
    energy_site_ids: list[int] = field(default_factory=list)


@dataclass
class Linked:
    connection_id: str
    customer_id: str
    account: TeslaAccount
    tokens: TokenSet
    device_ids: dict[str, str]  # the gateway's device ids by VIN or energy site id (as text), as linking found them

    def device_id(self, external_id: str | int) -> str:
        """The gateway's id of the device with this VIN or energy site id."""
        found = self.device_ids.get(str(external_id))
        assert found is not None, f"{external_id} is not among the devices of {self.connection_id}: {self.device_ids}"
        return found

    @property
    def vehicle(self) -> LinkedDevice:
        """The account's only vehicle."""
        assert len(self.account.vins) == 1, f"not one vehicle: {self.account.vins}"
        vin = self.account.vins[0]
        return LinkedDevice(self.device_id(vin), vin, self)

    @property
    def energy_site(self) -> LinkedDevice:
        """The account's only energy site."""
        assert len(self.account.energy_site_ids) == 1, f"not one energy site: {self.account.energy_site_ids}"
        site = str(self.account.energy_site_ids[0])
        return LinkedDevice(self.device_id(site), site, self)


@dataclass(frozen=True)
class LinkedDevice:
    """One device of a linked account: the gateway's id and Tesla's (the VIN, or the energy site id as text)."""

    id: str
    external_id: str
    linked: Linked


class Workspace(Protocol):
    """Whom accounts are linked for: a tenant of the gateway's tests."""

    workspace_id: str
    client: httpx.AsyncClient  # the gateway's API with the workspace's key


@dataclass
class Connector:
    """What the `connect` fixture gives: `await connect(vehicles=[...], energy_sites=1, grant=[...])` makes a Tesla
    account in the simulator and links it for a customer of `tenant`, as the connect callback would (see
    `link_account`)."""

    runtime: Runtime
    sim: httpx.AsyncClient
    tenant: Workspace
    tesla_app: dict[str, Any]  # the app as registered with the simulator, whose key `paired=True` adds to the cars

    async def __call__(
        self,
        email: str = "owner@example.com",
        *,
        region: str = "na",
        vehicles: list[dict[str, Any]] | None = None,
        energy_sites: int = 0,
        paired: bool = False,
        access: tuple[str, ...] | list[str] = ALL_ACCESS,
        grant: list[str] | None = None,
        reference_id: str = "user-1",
        tenant: Workspace | None = None,
    ) -> Linked:
        """`vehicles`: control-API fields for each car (None: one default car); `paired`: the cars have the app's
        virtual key before the account is linked; `grant`: the access the user ticks (None: all of `access`);
        `tenant`: another workspace than the fixture's."""
        factory = SimFactory(self.sim)
        account = await tesla_account(factory, email, region=region, vehicles=vehicles, energy_sites=energy_sites)
        if paired:
            for vin in account.vins:
                await factory.pair(vin, self.tesla_app["public_key_pem"])
        tenant = tenant or self.tenant
        return await link_account(
            self.runtime,
            self.sim,
            tenant.client,
            tenant.workspace_id,
            account,
            access=access,
            grant=grant,
            reference_id=reference_id,
        )


async def tesla_account(
    factory: SimFactory,
    email: str = "owner@example.com",
    *,
    region: str = "na",
    vehicles: list[dict[str, Any]] | None = None,
    energy_sites: int = 0,
) -> TeslaAccount:
    """An account with the given vehicles (control-API fields each; one default car if None) and energy sites."""
    created = await factory.account(email=email, region=region)
    account = TeslaAccount(created["id"], email, region)
    for fields in [{}] if vehicles is None else vehicles:
        account.vins.append((await factory.vehicle(account.id, **fields))["vin"])
    for _ in range(energy_sites):
        account.energy_site_ids.append((await factory.energy_site(account.id))["energy_site_id"])
    return account


async def create_customer(api: httpx.AsyncClient, reference_id: str = "user-1") -> str:
    response = await api.post("/v1/customers", json={"reference_id": reference_id})
    assert response.status_code == 201, response.text
    customer_id: str = response.json()["id"]
    return customer_id


async def consent_tokens(
    runtime: Runtime,
    sim: httpx.AsyncClient,
    email: str,
    access: tuple[str, ...] | list[str],
    *,
    grant: list[str] | None = None,
    prompt_missing_scopes: bool = False,
) -> TokenSet:
    """Tokens from a real code exchange, after the simulator's scripted consent ticked `grant` (default: all)."""
    settings = runtime.settings
    scopes = scopes_for(access)
    request = authorization_request(
        runtime.endpoints,
        client_id=settings.client_id,
        redirect_uri=settings.callback_url,
        scopes=scopes,
        prompt_missing_scopes=prompt_missing_scopes,
    )
    ticked = scopes_for(grant) if grant is not None else scopes
    response = await sim.get(f"{request.url}&{urlencode({'login_hint': email, 'sim_grant': ' '.join(ticked)})}")
    assert response.status_code == 302, response.text
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["state"] == [request.oauth_state]
    oauth = OAuthClient(
        runtime.tesla_http, runtime.endpoints, settings.client_id, settings.client_secret.get_secret_value()
    )
    return await oauth.exchange_code(
        code=query["code"][0],
        redirect_uri=settings.callback_url,
        code_verifier=request.code_verifier,
        audience=runtime.endpoints.base_url(settings.default_audience_region),
    )


async def link_tokens(
    runtime: Runtime,
    *,
    workspace_id: str,
    customer_id: str,
    tokens: TokenSet,
    access: tuple[str, ...] | list[str] = ALL_ACCESS,
    connection_id: str | None = None,
) -> str:
    """What the connect callback does once it has tokens: link (committed), then discover devices."""
    async with runtime.sessionmaker() as session:
        connection = await link_connection(
            session,
            runtime,
            workspace_id=workspace_id,
            customer_id=customer_id,
            tokens=tokens,
            requested_access=list(access),
            connection_id=connection_id,
        )
        await release(session)
        await sync_devices(session, runtime, connection)
        await session.commit()
        return connection.id


async def link_account(
    runtime: Runtime,
    sim: httpx.AsyncClient,
    api: httpx.AsyncClient,
    workspace_id: str,
    account: TeslaAccount,
    *,
    access: tuple[str, ...] | list[str] = ALL_ACCESS,
    grant: list[str] | None = None,
    reference_id: str = "user-1",
    customer_id: str | None = None,
) -> Linked:
    customer_id = customer_id or await create_customer(api, reference_id)
    tokens = await consent_tokens(runtime, sim, account.email, access, grant=grant)
    connection_id = await link_tokens(
        runtime, workspace_id=workspace_id, customer_id=customer_id, tokens=tokens, access=access
    )
    return Linked(connection_id, customer_id, account, tokens, await device_ids(api, connection_id=connection_id))


def external_id(device: dict[str, Any]) -> str:
    """Tesla's id of a device as the API shows it: the VIN, or the energy site id as text."""
    return str(device["vin"] if device["type"] == "vehicle" else device["energy_site_id"])


async def device_ids(api: httpx.AsyncClient, **params: str) -> dict[str, str]:
    """The gateway's device ids by VIN or energy site id (as text), from `GET /v1/devices` with `params` (such as
    `connection_id`), every page."""
    found: dict[str, str] = {}
    cursor: str | None = None
    while True:
        query = {**params, "limit": "100", **({"cursor": cursor} if cursor else {})}
        response = await api.get("/v1/devices", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        found.update({external_id(device): device["id"] for device in page["data"]})
        cursor = page["next_cursor"]
        if cursor is None:
            return found


def token_set(body: dict[str, Any]) -> TokenSet:
    """A `TokenSet` from the control API's `POST /sim/tokens` answer."""
    claims = read_claims(body["access_token"])
    assert claims.expires_at is not None
    return TokenSet(body["access_token"], body.get("refresh_token"), float(claims.expires_at), None, claims)


async def connect_hosted(
    api: httpx.AsyncClient,
    gateway: httpx.AsyncClient,
    sim: httpx.AsyncClient,
    *,
    email: str,
    access: list[str],
    grant: list[str] | None = None,
    reference_id: str = "user-1",
) -> dict[str, Any]:
    """`POST /v1/connect-sessions`, then the end user's trip through it (see `complete_hosted`)."""
    created = await api.post("/v1/connect-sessions", json={"reference_id": reference_id, "access": access})
    assert created.status_code == 201, created.text
    return await complete_hosted(api, gateway, sim, created.json(), email=email, grant=grant)


async def complete_hosted(
    api: httpx.AsyncClient,
    gateway: httpx.AsyncClient,
    sim: httpx.AsyncClient,
    connect_session: dict[str, Any],
    *,
    email: str,
    grant: list[str] | None = None,
) -> dict[str, Any]:
    """The end user's trip: the hosted page's continue step, Tesla's scripted consent ticking the scopes of `grant`
    (default: everything asked), the callback. Answers the connect session as the API shows it afterwards, with the
    authorize URL the gateway sent the user to under `authorize_url`."""
    start = await gateway.get(f"/connect/{connect_session['id']}/start")
    assert start.status_code == 302, start.text
    authorize_url = start.headers["location"]
    ticked = scopes_for(grant if grant is not None else connect_session["access"])
    tesla = await sim.get(f"{authorize_url}&{urlencode({'login_hint': email, 'sim_grant': ' '.join(ticked)})}")
    assert tesla.status_code == 302, tesla.text
    callback = urlsplit(tesla.headers["location"])
    assert f"{callback.scheme}://{callback.netloc}" == str(gateway.base_url).rstrip("/")
    finished = await gateway.get(f"{callback.path}?{callback.query}")
    assert finished.status_code in (302, 303), finished.text
    after = await api.get(f"/v1/connect-sessions/{connect_session['id']}")
    assert after.status_code == 200, after.text
    result: dict[str, Any] = after.json()
    result["authorize_url"] = authorize_url
    return result


async def change_access_on_tesla(
    sim: httpx.AsyncClient, client_id: str, email: str, *, keep: set[str] | None = None
) -> None:
    """The user on Tesla's manage-access page: keeps only the scopes in `keep`, or removes all access (None)."""
    opened = await sim.get(f"{MANAGE}?{urlencode({'revoke_client_id': client_id})}")
    assert opened.status_code == 200, opened.text
    sign_in = page(opened).form(MANAGE)
    signed_in = await sim.post(sign_in.action, data=sign_in.data(identity=email))
    assert signed_in.status_code == 200, signed_in.text
    form = page(signed_in).form(f"{MANAGE}/update")
    if keep is None:
        data = form.data(button=form.button("Remove all access"))
    else:
        data = form.data(button=form.button("Save changes"), ticks=keep)
    saved = await sim.post(form.action, data=data)
    assert saved.status_code == 200, saved.text
