"""Settings, from the environment (prefix `FLEETGATE_`) or a `.env` file."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from fleetgate.tesla.endpoints import TeslaEndpoints


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FLEETGATE_", env_file=".env", extra="ignore")

    # Where Tesla is: "tesla" for the real services, or the base URL of a fleetgate simulator.
    tesla: str = "tesla"
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    # The app's domain as registered with Tesla; its public key is served at /.well-known/appspecific/...
    domain: str = ""
    private_key_path: Path = Path("fleetgate-private-key.pem")
    private_key_pem: SecretStr | None = Field(default=None, description="The key itself, instead of a file")

    def tesla_endpoints(self) -> TeslaEndpoints:
        if self.tesla == "tesla":
            return TeslaEndpoints.tesla()
        return TeslaEndpoints.simulator(self.tesla)
