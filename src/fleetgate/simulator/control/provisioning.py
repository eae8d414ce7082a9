"""Creating accounts, vehicles and energy sites the way Tesla would have them."""

from __future__ import annotations

from fleetgate.protocol.keys import private_key_from_seed, public_key_bytes
from fleetgate.simulator.energy.site import EnergySite
from fleetgate.simulator.vehicle_side.domains import provision
from fleetgate.simulator.vehicles.equipment import standard_equipment
from fleetgate.simulator.vehicles.vehicle import ROLE_OWNER, Vehicle, WhitelistEntry
from fleetgate.simulator.world import Account, World

VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"  # no I, O or Q, as in real VINs
VIN_PREFIX = {
    "Model 3": "5YJ3E1EA",
    "Model Y": "7SAYGDEE",
    "Model S": "5YJSA1E2",
    "Model X": "7SAXCBE6",
    "Cybertruck": "7G2CEHED",
}
ROLES = {"owner": 2, "driver": 3, "fleet_manager": 4, "vehicle_monitor": 5, "charging_manager": 6, "guest": 8}


def create_account(world: World, email: str, region: str, full_name: str | None = None) -> Account:
    account = Account(
        id=world.new_uuid(),
        email=email.strip(),
        region=region,
        full_name=full_name or email.split("@")[0].replace(".", " ").title(),
        created_at=world.now(),
    )
    world.accounts[account.id] = account
    return account


def new_vin(world: World, model: str) -> str:
    while True:
        vin = VIN_PREFIX[model] + "".join(world.rng.choice(VIN_ALPHABET) for _ in range(9))
        if vin not in world.vehicles:
            return vin


def create_vehicle(
    world: World, account: Account, *, model: str, vin: str | None = None, display_name: str | None = None
) -> Vehicle:
    now = world.now()
    vin = vin or new_vin(world, model)
    number = sum(1 for v in world.vehicles.values() if v.account_id == account.id) + 1
    vehicle = Vehicle(
        id=world.new_id(),
        vehicle_id=world.rng.randrange(10**9, 10**10),
        vin=vin,
        account_id=account.id,
        display_name=display_name or f"{account.full_name.split()[0]}'s {model} {number}",
        model=model,
        equipment=standard_equipment(model),
        last_activity=now,
        updated_to=now,
    )
    vehicle.domains = provision(world.rng, now)
    # The owner's phone key is always there; third-party keys arrive through pairing.
    phone = public_key_bytes(private_key_from_seed(world.rng.randbytes(40)))
    vehicle.keys.append(WhitelistEntry(public_key=phone, role=ROLE_OWNER, added_at=now))
    world.vehicles[vin] = vehicle
    return vehicle


def create_energy_site(
    world: World, account: Account, *, site_name: str | None, battery: bool, solar: bool, battery_count: int
) -> EnergySite:
    site = EnergySite(
        energy_site_id=world.new_id(),
        id=f"STE{world.rng.randrange(10**7, 10**8)}-{world.rng.randrange(10**4, 10**5)}",
        account_id=account.id,
        site_name=site_name or "My Home",
        has_battery=battery,
        has_solar=solar,
        battery_count=battery_count if battery else 0,
        total_pack_energy_wh=13_500.0 * battery_count if battery else 0.0,
        updated_to=world.now(),
    )
    world.energy_sites[site.energy_site_id] = site
    return site
