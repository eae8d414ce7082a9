"""Where Tesla's services live, per region; the simulator serves them all from one base URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

Region = Literal["na", "eu", "cn"]
REGIONS: tuple[Region, ...] = ("na", "eu", "cn")
REGION_BY_NAME: dict[str, Region] = {region: region for region in REGIONS}


@dataclass(frozen=True, slots=True)
class TeslaEndpoints:
    authorize_url: str
    token_url: str
    manage_access_url: str
    pairing_url: str  # `<pairing_url>/<domain>?vin=<VIN>`
    fleet_api: dict[Region, str]

    @classmethod
    def tesla(cls) -> TeslaEndpoints:
        return cls(
            authorize_url="https://auth.tesla.com/oauth2/v3/authorize",
            token_url="https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/token",
            manage_access_url="https://auth.tesla.com/user/revoke/consent",
            pairing_url="https://tesla.com/_ak",
            fleet_api={
                "na": "https://fleet-api.prd.na.vn.cloud.tesla.com",
                "eu": "https://fleet-api.prd.eu.vn.cloud.tesla.com",
                "cn": "https://fleet-api.prd.cn.vn.cloud.tesla.cn",
            },
        )

    @classmethod
    def simulator(cls, base_url: str) -> TeslaEndpoints:
        base = base_url.rstrip("/")
        return cls(
            authorize_url=f"{base}/oauth2/v3/authorize",
            token_url=f"{base}/oauth2/v3/token",
            manage_access_url=f"{base}/user/revoke/consent",
            pairing_url=f"{base}/_ak",
            fleet_api={region: f"{base}/{region}" for region in REGIONS},
        )

    def base_url(self, region: Region) -> str:
        return self.fleet_api[region]

    def region_of(self, url: str) -> Region | None:
        """The region whose Fleet API base URL `url` is (or starts with); matched on scheme, host and path."""
        wanted = _normalise(url)
        for region, base in self.fleet_api.items():
            known = _normalise(base)
            if wanted == known or wanted.startswith(known + "/"):
                return region
        return None

    def region_from_claims(self, ou_code: str | None, audience: tuple[str, ...]) -> Region:
        """As Tesla's proxy does: the user's `ou_code` when it names a region we know, else the token's audience."""
        region = REGION_BY_NAME.get((ou_code or "").lower())
        if region is not None:
            return region
        for aud in audience:
            region = self.region_of(aud)
            if region is not None:
                return region
        return "na"


def _normalise(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"
