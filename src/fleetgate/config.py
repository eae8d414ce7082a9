"""Settings, from the environment (prefix `FLEETGATE_`) or a `.env` file."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from fleetgate.tesla.endpoints import TeslaEndpoints

Mode = Literal["dev", "prod"]
LogFormat = Literal["text", "json"]


class SettingsError(ValueError):
    pass


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLEETGATE_", env_file=".env", extra="ignore")

    mode: Mode = "prod"
    # The URL end users and apps reach fleetgate at; hosted pages, callbacks and remedies are built from it.
    public_url: str = "http://127.0.0.1:8080"
    database_url: str = "sqlite+aiosqlite:///./fleetgate.db"
    # The connections a process keeps open, and how many more it opens under load. No request holds one while it
    # waits on Tesla, so a few go a long way.
    database_pool_size: int = Field(default=10, ge=1, le=1000)
    database_max_overflow: int = Field(default=10, ge=0, le=1000)
    # 32 bytes, base64: tokens are encrypted at rest with it. Required outside dev mode.
    encryption_key: SecretStr | None = None

    # Where Tesla is: "tesla" for the real services, or the base URL of a fleetgate simulator.
    tesla: str = "tesla"
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    # The app's domain as registered with Tesla; its public key is served at /.well-known/appspecific/...
    domain: str = ""
    private_key_path: Path = Path("fleetgate-private-key.pem")
    private_key_pem: SecretStr | None = Field(default=None, description="The key itself, instead of a file")
    # Region whose Fleet API URL is the `audience` of a code exchange; the user's own region comes from the token.
    default_audience_region: Literal["na", "eu", "cn"] = "na"

    # How long a Fleet API call waits for Tesla's answer; past it the answer counts as lost (see `commands.outcomes`).
    tesla_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    # Larger request bodies are refused (413) before they are read; the API's own bodies are a few KB.
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024)
    # One log line per request (method, route template, status, time, request id); on in `fleetgate dev`.
    request_log: bool = False
    # `json`: every log line of `fleetgate serve` as one JSON object, for a log collector.
    log_format: LogFormat = "text"
    # How long a process trusts an API key it has checked: a key revoked elsewhere stops working within this many
    # seconds (at once in the process that revoked it); 0 checks every request against the database.
    api_key_cache_seconds: float = Field(default=5.0, ge=0, le=300)

    connect_session_ttl_seconds: int = Field(default=3600, ge=60, le=7 * 24 * 3600)
    # Refresh this long before the access token expires (Tesla recommends renewing within a minute of expiry).
    token_refresh_leeway_seconds: int = Field(default=300, ge=0, le=3600)
    # Device lists re-synced from Tesla this often; 0 turns the periodic sync off.
    device_sync_interval_seconds: int = Field(default=6 * 3600, ge=0)
    # Who runs commands: this process ("in_process"), or only `fleetgate worker` processes, on PostgreSQL ("worker";
    # the API process then only queues them). Either way the commands table is the queue (see `jobs.worker`).
    command_executor: Literal["in_process", "worker"] = "in_process"
    command_concurrency: int = Field(default=32, ge=1, le=1000)
    # A running command's claim lasts this long unless its executor renews it; past it, recovery takes over.
    command_lease_seconds: float = Field(default=30.0, gt=0, le=3600)
    command_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    # A command for a car Tesla said lacks the app's virtual key is refused at submission; when Tesla said so longer
    # ago than this, it is asked again first (`fleet_status`, one call that wakes nothing and is not billed).
    virtual_key_recheck_seconds: int = Field(default=3600, ge=0)
    # Ended commands, events (with their webhook deliveries) and upstream calls older than these are deleted.
    command_retention_days: int = Field(default=90, ge=1)
    event_retention_days: int = Field(default=90, ge=1)
    # Long enough for last year's monthly usage.
    usage_retention_days: int = Field(default=400, ge=1)
    # Streamed records are kept one by one this long (a car's resend of an older one would count again), then summed
    # per device and hour (`telemetry_signal_hours`) until `usage_retention_days`; today's budgets need today's.
    telemetry_record_retention_days: int = Field(default=7, ge=2)
    retention_interval_seconds: int = Field(default=3600, ge=0)

    # Webhooks (see `fleetgate.features.webhooks.delivery`). Loopback and private targets are refused outside dev mode
    # unless this allows them (a self-hosted receiver on the same private network).
    webhook_allow_private_targets: bool = False
    # The wait before each retry after a failed attempt; when it runs out, the delivery has failed.
    webhook_retry_schedule_seconds: list[Annotated[float, Field(ge=0)]] = Field(
        default=[5, 300, 1800, 7200, 18000, 36000, 36000], max_length=20
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # How often the dispatcher looks for deliveries queued by other processes; 0: no dispatcher in this process.
    webhook_poll_interval_seconds: float = Field(default=5.0, ge=0)
    webhook_max_concurrency: int = Field(default=10, ge=1, le=200)
    # An endpoint is disabled once this many attempts in a row have failed, over at least this long.
    webhook_disable_after_failures: int = Field(default=15, ge=1)
    webhook_disable_after_seconds: float = Field(default=24 * 3600, ge=0)

    # Fleet Telemetry's receiver (`fleetgate telemetry`): where it listens, the certificate it shows cars, and the CA
    # bundle it verifies cars' client certificates against (Tesla's vehicle CA in production, the simulator's in dev).
    telemetry_host: str = "127.0.0.1"
    telemetry_port: int = Field(default=4443, ge=0, le=65535)
    telemetry_cert_path: Path | None = None
    telemetry_key_path: Path | None = None
    telemetry_vehicle_ca_path: Path | None = None
    # What configs tell cars: the receiver's public hostname and port (often 443 on a load balancer in front of
    # `telemetry_port`), and the PEM chain of its certificate's CA, which cars pin.
    telemetry_hostname: str = ""
    telemetry_public_port: int = Field(default=443, ge=1, le=65535)
    telemetry_ca_chain_path: Path | None = None
    # Tesla asked this often about pending telemetry configs (synced ones less often: see `jobs.telemetry_checks`);
    # 0 turns the checks off.
    telemetry_check_interval_seconds: int = Field(default=60, ge=0)
    # The receiver can publish each decoded record to a broker too (`features/telemetry/brokers/`):
    # nats://[user:password@]host:4222 and/or mqtt://[user:password@]host:1883 (mqtts:// for TLS), under subjects and
    # topics that start with the prefix. Buffered by default (a broker that is down never holds up a car; past the
    # buffer the oldest records are dropped, and counted); reliable: a record is acked only once the broker has it.
    telemetry_nats_url: SecretStr = SecretStr("")
    telemetry_mqtt_url: SecretStr = SecretStr("")
    telemetry_broker_prefix: str = Field(default="telemetry", pattern=r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")
    telemetry_broker_reliable: bool = False
    telemetry_broker_buffer_records: int = Field(default=10_000, ge=1)
    # MQTT: a message per field too (`<prefix>/<VIN>/v/<Field>`, as Tesla's server publishes), beside the record's;
    # off, a record is one message, several times the records a second.
    telemetry_mqtt_field_topics: bool = True

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.encryption_key is not None:
            decode_key(self.encryption_key.get_secret_value())
        if self.command_executor == "worker" and not self.database_url.startswith("postgresql"):
            raise SettingsError(
                "FLEETGATE_COMMAND_EXECUTOR=worker needs PostgreSQL (workers on several machines share it): set "
                "FLEETGATE_DATABASE_URL to a postgresql+psycopg:// URL, or leave the executor in_process."
            )
        return self

    def tesla_endpoints(self) -> TeslaEndpoints:
        if self.tesla == "tesla":
            return TeslaEndpoints.tesla()
        return TeslaEndpoints.simulator(self.tesla)

    @property
    def callback_url(self) -> str:
        return f"{self.public_url.rstrip('/')}/connect/callback"


def decode_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SettingsError("FLEETGATE_ENCRYPTION_KEY must be base64") from exc
    if len(key) != 32:
        raise SettingsError("FLEETGATE_ENCRYPTION_KEY must decode to 32 bytes (try: fleetgate keys encryption-key)")
    return key
