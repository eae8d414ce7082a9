"""The demo's story, step by step."""

from __future__ import annotations

from fleetgate.devtools.demo import steps_commands, steps_connect, steps_history, steps_report, steps_telemetry
from fleetgate.devtools.demo.context import Demo


async def tell(demo: Demo) -> None:
    await steps_connect.register_webhook(demo)
    await steps_connect.connect_without_commands(demo)
    await steps_connect.reconnect_with_everything(demo)
    await steps_commands.read_car_and_powerwall(demo)
    await steps_commands.command_refused_for_the_key(demo)
    await steps_commands.pair_then_command(demo)
    await steps_commands.set_backup_reserve(demo)
    await steps_telemetry.stream_the_car(demo)
    await steps_history.charge_schedule(demo)
    await steps_history.yesterdays_energy(demo)
    await steps_report.deliveries_and_usage(demo)
