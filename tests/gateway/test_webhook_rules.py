"""The rules behind webhook deliveries, without a database: which targets are allowed in which mode, the retry
schedule, and signatures that the Standard Webhooks library verifies (and refuses once tampered with)."""

from __future__ import annotations

import base64
import ipaddress

import httpx
import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from fleetgate.config import Settings
from fleetgate.features.webhooks.delivery import next_delay, pinned
from fleetgate.features.webhooks.signing import SECRET_PREFIX, new_secret, signed_headers
from fleetgate.features.webhooks.targets import TargetError, check_target, is_public
from fleetgate.infra.db.base import utcnow

KEY = base64.b64encode(b"k" * 32).decode()


def settings(**overrides: object) -> Settings:
    return Settings(encryption_key=KEY, **overrides)  # type: ignore[arg-type]


class TestTargets:
    @pytest.mark.parametrize("url", ["https://192.0.3.10/hook", "http://[2606:4700::1111]:8443/hook"])
    async def test_public_addresses_are_allowed(self, url: str) -> None:
        await check_target(url, settings())

    @pytest.mark.parametrize("url", ["http://localhost:9000/hook", "http://127.0.0.2/hook", "http://[::1]/hook"])
    async def test_loopback_is_refused_in_production(self, url: str) -> None:
        with pytest.raises(TargetError) as refused:
            await check_target(url, settings())
        assert refused.value.code == "private_target"

    @pytest.mark.parametrize("allowing", [{"mode": "dev"}, {"webhook_allow_private_targets": True}])
    async def test_dev_mode_and_the_setting_allow_private_targets(self, allowing: dict[str, object]) -> None:
        await check_target("http://localhost:9000/hook", settings(**allowing))
        await check_target("http://10.0.0.7/hook", settings(**allowing))

    @pytest.mark.parametrize(
        "url",
        [
            "localhost/hook",
            "ws://192.0.3.10/hook",
            "https://user@192.0.3.10/hook",
            "https://192.0.3.10/hook#part",
            "https://192.0.3.10:0/hook",
            "https://192.0.3.10:99999/hook",
            "https://192.0.3.10/" + "x" * 2000,
        ],
    )
    async def test_malformed_urls_are_refused_even_in_dev_mode(self, url: str) -> None:
        with pytest.raises(TargetError) as refused:
            await check_target(url, settings(mode="dev"))
        assert refused.value.code == "invalid_url"

    @pytest.mark.parametrize(
        "address",
        ["2002:c000:30a::", "::ffff:192.0.3.10", "64:ff9b::c000:30a", "2606:4700::1111"],
    )
    def test_ipv6_forms_of_a_public_ipv4_address_stay_public(self, address: str) -> None:
        assert is_public(ipaddress.ip_address(address))

    async def test_an_attempt_connects_to_the_address_it_checked(self) -> None:
        checked = await check_target("https://[2606:4700::1111]:8443/hook?x=1", settings())
        headers: dict[str, str] = {}
        url, extensions = pinned("https://hooks.example.com:8443/hook?x=1", checked, headers)
        assert str(url) == "https://[2606:4700::1111]:8443/hook?x=1"
        assert headers == {"Host": "hooks.example.com:8443"}
        assert extensions == {"sni_hostname": "hooks.example.com"}
        plain, plain_extensions = pinned("http://hooks.example.com/hook", checked[:1], {})
        assert (str(plain), plain_extensions) == ("http://[2606:4700::1111]/hook", {})

    async def test_nothing_is_pinned_where_private_targets_are_allowed(self) -> None:
        checked = await check_target("http://localhost:9000/hook", settings(mode="dev"))
        assert checked == []
        assert pinned("http://localhost:9000/hook", checked, {}) == (httpx.URL("http://localhost:9000/hook"), {})

    async def test_a_name_that_does_not_resolve_is_refused(self) -> None:
        with pytest.raises(TargetError) as refused:
            await check_target("https://no-such-host.invalid/hook", settings())
        assert refused.value.code == "unresolvable"


class TestSchedule:
    def test_default_is_the_documented_one(self) -> None:
        assert settings().webhook_retry_schedule_seconds == [5, 300, 1800, 7200, 18000, 36000, 36000]

    def test_each_failed_attempt_waits_its_delay_then_gives_up(self) -> None:
        schedule = [5.0, 300.0]
        assert [next_delay(schedule, made) for made in (1, 2, 3)] == [5.0, 300.0, None]
        assert next_delay([], 1) is None

    def test_negative_delays_are_refused(self) -> None:
        with pytest.raises(ValueError, match="greater than or equal to 0"):
            settings(webhook_retry_schedule_seconds=[5, -1])


class TestSigning:
    def test_the_library_verifies_what_the_gateway_signs(self) -> None:
        secret = new_secret()
        assert secret.startswith(SECRET_PREFIX)
        assert len(base64.b64decode(secret.removeprefix(SECRET_PREFIX))) == 32
        body = '{"id":"evt_1","type":"webhook.test"}'
        headers = signed_headers(secret, "evt_1", body, utcnow())
        assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
        assert headers["webhook-signature"].startswith("v1,")
        assert Webhook(secret).verify(body, headers) == {"id": "evt_1", "type": "webhook.test"}

        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(body.replace("test", "tost"), headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(new_secret()).verify(body, headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(body, {**headers, "webhook-id": "evt_2"})
