"""A small ready-made world for trying the simulator by hand."""

from __future__ import annotations

from fleetgate.simulator.control import provisioning
from fleetgate.simulator.world import DeveloperApp, World

DEMO_CLIENT_ID = "fleetgate-demo-app"
DEMO_CLIENT_SECRET = "ta-secret.demo-only-not-a-secret"
DEMO_EMAIL = "driver@example.com"


def seed_demo_world(world: World, redirect_uri: str = "http://127.0.0.1:8080/callback") -> list[str]:
    world.apps[DEMO_CLIENT_ID] = DeveloperApp(
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        name="fleetgate demo app",
        redirect_uris=[redirect_uri],
        allowed_origins=["http://127.0.0.1:8080"],
    )
    account = provisioning.create_account(world, DEMO_EMAIL, "na", "Demo Driver")
    paired = provisioning.create_vehicle(world, account, model="Model 3", display_name="Demo Model 3")
    paired.plugged_in, paired.charging_state = True, "Stopped"
    unpaired = provisioning.create_vehicle(world, account, model="Model Y", display_name="Demo Model Y")
    unpaired.online_state = "asleep"
    site = provisioning.create_energy_site(
        world, account, site_name="Demo Home", battery=True, solar=True, battery_count=1
    )
    return [
        f"Demo app: client_id={DEMO_CLIENT_ID} client_secret={DEMO_CLIENT_SECRET} redirect_uri={redirect_uri}",
        f"Demo account: {DEMO_EMAIL} (na), vehicles {paired.vin} and {unpaired.vin}, energy site {site.energy_site_id}",
    ]
