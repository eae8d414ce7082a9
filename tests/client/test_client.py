"""The generated Python client (clients/python) as an application uses it, against a running gateway: `fleetgate dev`
as a real process on real ports, its API key from the banner, a webhook receiver on a port of its own.

What an end user does in a browser (the hosted pages and Tesla's consent) is followed over HTTP as in test_dev; all
the rest goes through `fleetgate_client`."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fleetgate_client import AuthenticatedClient
from fleetgate_client.api.commands import get_command, send_command
from fleetgate_client.api.connect import create_connect_session, get_connect_session
from fleetgate_client.api.devices import get_device_history, get_device_state, list_devices
from fleetgate_client.api.events import list_events
from fleetgate_client.api.webhooks import create_webhook_endpoint, send_test_webhook
from fleetgate_client.models import (
    CommandIn,
    CommandOut,
    CommandOutStatus,
    ConnectSessionIn,
    ConnectSessionOut,
    ConnectSessionOutStatus,
    DevicePage,
    EnergySiteOut,
    ErrorBody,
    EventPage,
    GetDeviceHistoryKind,
    GetDeviceHistoryPeriod,
    HistoryOut,
    VehicleOut,
    VehicleStateOut,
    WebhookEndpointCreated,
    WebhookEndpointIn,
)
from fleetgate_client.webhooks import WebhookVerificationError, verify_webhook

from tests.support.polling import eventually
from tests.support.webhook_receiver import Receiver, running_receiver
from tests.test_dev import ALL_ACCESS, PAIRED_VIN, Dev, follow_consent, running_dev

pytestmark = pytest.mark.live

README = Path(__file__).parents[2] / "clients" / "python" / "README.md"

ENDED = {CommandOutStatus.SUCCEEDED, CommandOutStatus.FAILED, CommandOutStatus.CANCELLED, CommandOutStatus.EXPIRED}


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dev]:
    with running_dev(tmp_path_factory.mktemp("client") / "var") as process:
        process.wait_until_ready()
        yield process


@pytest.fixture
async def api(dev: Dev) -> AsyncIterator[AuthenticatedClient]:
    async with AuthenticatedClient(base_url=dev.gateway, token=dev.api_key, raise_on_unexpected_status=True) as client:
        yield client


@pytest.fixture(scope="module")
def connected(dev: Dev) -> ConnectSessionOut:
    """The demo account linked once for the module: a connect session made with the client, its hosted pages and
    Tesla's consent followed as the user's browser would."""
    with (
        AuthenticatedClient(base_url=dev.gateway, token=dev.api_key, raise_on_unexpected_status=True) as client,
        httpx.Client(timeout=30, trust_env=False) as browser,
    ):
        created = create_connect_session.sync(
            client=client, body=ConnectSessionIn(access=ALL_ACCESS, reference_id="client-user")
        )
        assert isinstance(created, ConnectSessionOut), created
        assert created.status == ConnectSessionOutStatus.PENDING
        follow_consent(browser, dev, created.to_dict())
        session = get_connect_session.sync(created.id, client=client)
    assert isinstance(session, ConnectSessionOut), session
    return session


@pytest.fixture
async def car(api: AuthenticatedClient, connected: ConnectSessionOut) -> VehicleOut:
    assert connected.connection_id is not None
    page = await list_devices.asyncio(client=api, connection_id=connected.connection_id)
    assert isinstance(page, DevicePage), page
    return next(d for d in page.data if isinstance(d, VehicleOut) and d.vin == PAIRED_VIN)


def test_a_connect_session_completes_through_the_hosted_pages(connected: ConnectSessionOut) -> None:
    assert connected.status == ConnectSessionOutStatus.COMPLETED
    assert connected.connection_id is not None
    assert connected.missing_access == []


async def test_lists_the_devices_and_reads_a_cars_state(api: AuthenticatedClient, car: VehicleOut) -> None:
    assert car.virtual_key.paired is True

    state = await get_device_state.asyncio(car.id, client=api, max_age=0, wake=True)

    assert isinstance(state, VehicleStateOut), state
    assert state.device_id == car.id
    assert state.data.to_dict()


async def test_sends_a_command_and_follows_it_until_it_ends(api: AuthenticatedClient, car: VehicleOut) -> None:
    queued = await send_command.asyncio(car.id, client=api, body=CommandIn(command="honk_horn"))
    assert isinstance(queued, CommandOut), queued

    async def read() -> CommandOut:
        command = await get_command.asyncio(queued.id, client=api)
        assert isinstance(command, CommandOut), command
        return command

    ended = await eventually(read, until=lambda command: command.status in ENDED, what="the command to end")
    assert ended.status == CommandOutStatus.SUCCEEDED, ended.to_dict()

    page = await list_events.asyncio(client=api, type_="command.*")
    assert isinstance(page, EventPage), page
    assert any(event.data.to_dict().get("id") == queued.id for event in page.data), page.to_dict()


async def test_reads_a_sites_energy_history(api: AuthenticatedClient, connected: ConnectSessionOut) -> None:
    assert connected.connection_id is not None
    page = await list_devices.asyncio(client=api, connection_id=connected.connection_id)
    assert isinstance(page, DevicePage), page
    site = next(d for d in page.data if isinstance(d, EnergySiteOut))

    history = await get_device_history.asyncio(
        site.id, client=api, kind=GetDeviceHistoryKind.ENERGY, period=GetDeviceHistoryPeriod.WEEK
    )

    assert isinstance(history, HistoryOut), history
    assert history.energy is not None
    assert history.energy.intervals
    assert history.time_zone


async def test_an_error_comes_back_in_the_apis_shape(api: AuthenticatedClient) -> None:
    missing = await get_command.asyncio("cmd_none", client=api)

    assert isinstance(missing, ErrorBody), missing
    assert missing.error.code == "not_found"


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


async def test_a_webhook_verifies_with_the_endpoints_secret(api: AuthenticatedClient, receiver: Receiver) -> None:
    endpoint = await create_webhook_endpoint.asyncio(client=api, body=WebhookEndpointIn(url=receiver.url("client")))
    assert isinstance(endpoint, WebhookEndpointCreated), endpoint
    receiver.expect("client", endpoint.secret)
    await send_test_webhook.asyncio(endpoint.id, client=api)

    delivered = await eventually(lambda: receiver.received("client"), what="the test event at the receiver")

    headers, body = delivered[0].headers, delivered[0].body
    assert delivered[0].verified  # by the Standard Webhooks library, as a check on ours
    event = verify_webhook(endpoint.secret, headers, body)
    assert event.type_ == "webhook.test"
    assert event.id == headers["webhook-id"]
    with pytest.raises(WebhookVerificationError):
        verify_webhook(endpoint.secret, headers, body.replace(b"webhook.test", b"webhook.tset"))
    other = await create_webhook_endpoint.asyncio(client=api, body=WebhookEndpointIn(url=receiver.url("other")))
    assert isinstance(other, WebhookEndpointCreated), other
    with pytest.raises(WebhookVerificationError):
        verify_webhook(other.secret, headers, body)
    sent_at = int(headers["webhook-timestamp"])
    with pytest.raises(WebhookVerificationError):
        verify_webhook(endpoint.secret, headers, body, now=sent_at + 3600)


def test_the_readmes_example_runs_as_written(dev: Dev, connected: ConnectSessionOut) -> None:
    example = re.search(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    assert example is not None
    code = example.group(1).replace("http://127.0.0.1:8080", dev.gateway).replace("fg_...", dev.api_key)
    printed = io.StringIO()

    with contextlib.redirect_stdout(printed):
        exec(compile(code, str(README), "exec"), {})

    assert "CommandOut(" in printed.getvalue()
