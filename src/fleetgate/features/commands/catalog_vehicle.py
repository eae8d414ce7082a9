"""The vehicle commands of Tesla's command list, by family. The charging family takes the charging access (Tesla
accepts `vehicle_charging_cmds` or `vehicle_cmds` for it); every other command takes `vehicle_cmds`.

Not idempotent: whatever toggles, moves from where it is, or makes a sound or a light (sent twice, it does it
twice or undoes itself). Setting an absolute value is idempotent.
"""

from __future__ import annotations

from fleetgate.features.commands import params_body as pb
from fleetgate.features.commands import params_charging as pc
from fleetgate.features.commands import params_climate as pl
from fleetgate.features.commands import params_infotainment as pi
from fleetgate.features.commands.catalog_spec import CHARGING, CommandSpec, vehicle

CHARGING_COMMANDS: tuple[CommandSpec, ...] = (
    vehicle("charge_start", "Start charging.", capability=CHARGING),
    vehicle("charge_stop", "Stop charging.", capability=CHARGING),
    vehicle("charge_standard", "Set the charge limit to the standard 80 %.", capability=CHARGING),
    vehicle("charge_max_range", "Set the charge limit to 100 % (for a trip).", capability=CHARGING),
    vehicle("set_charge_limit", "Set the charge limit.", capability=CHARGING, params=pc.ChargeLimit),
    vehicle("set_charging_amps", "Set the AC charging current.", capability=CHARGING, params=pc.ChargingAmps),
    vehicle("charge_port_door_open", "Open the charge port door.", capability=CHARGING),
    vehicle("charge_port_door_close", "Close the charge port door.", capability=CHARGING),
    vehicle(
        "set_scheduled_charging",
        "Start charging at a time of day (superseded by add_charge_schedule from software 2024.26).",
        capability=CHARGING,
        params=pc.ScheduledCharging,
    ),
    vehicle(
        "set_scheduled_departure",
        "Be charged and preconditioned by a departure time (superseded by the schedules from software 2024.26).",
        capability=CHARGING,
        params=pc.ScheduledDeparture,
    ),
    vehicle(
        "add_charge_schedule",
        "Add a charge schedule, or change the one with this id (software 2024.26 or later).",
        capability=CHARGING,
        params=pc.ChargeSchedule,
        # Without an id, each send adds a schedule of its own.
        idempotent=False,
    ),
    vehicle("remove_charge_schedule", "Remove a charge schedule.", capability=CHARGING, params=pc.ScheduleId),
    vehicle(
        "add_precondition_schedule",
        "Add a precondition schedule, or change the one with this id (software 2024.26 or later).",
        capability=CHARGING,
        params=pc.PreconditionSchedule,
        idempotent=False,
    ),
    vehicle(
        "remove_precondition_schedule", "Remove a precondition schedule.", capability=CHARGING, params=pc.ScheduleId
    ),
)

CLIMATE_COMMANDS: tuple[CommandSpec, ...] = (
    vehicle("auto_conditioning_start", "Start the climate control."),
    vehicle("auto_conditioning_stop", "Stop the climate control (and keep, dog or camp mode)."),
    vehicle("set_temps", "Set the cabin temperatures.", params=pl.Temperatures),
    vehicle(
        "set_climate_keeper_mode", "Keep the climate on: off, keep, dog or camp mode.", params=pl.ClimateKeeperMode
    ),
    vehicle("set_preconditioning_max", "Turn max defrost on or off.", params=pl.OverridableSwitch),
    vehicle("set_bioweapon_mode", "Turn Bioweapon Defense Mode on or off.", params=pl.OverridableSwitch),
    vehicle(
        "set_cabin_overheat_protection",
        "Keep the parked cabin from overheating, with the air conditioning or the fan only.",
        params=pl.CabinOverheatProtection,
    ),
    vehicle("set_cop_temp", "Set the temperature that starts cabin overheat protection.", params=pl.CopTemperature),
    vehicle("remote_seat_heater_request", "Set a seat's heater level.", params=pl.SeatHeater),
    vehicle("remote_seat_cooler_request", "Set a front seat's cooling level.", params=pl.SeatCooler),
    vehicle(
        "remote_auto_seat_climate_request",
        "Let the car heat or cool a front seat by itself.",
        params=pl.AutoSeatClimate,
    ),
    vehicle("remote_steering_wheel_heater_request", "Turn the steering wheel heater on or off.", params=pl.SwitchedOn),
    vehicle(
        "remote_steering_wheel_heat_level_request",
        "Set the steering wheel heater level.",
        params=pl.SteeringWheelHeatLevel,
    ),
    vehicle(
        "remote_auto_steering_wheel_heat_climate_request",
        "Let the car heat the steering wheel by itself.",
        params=pl.SwitchedOn,
    ),
)

CLOSURE_COMMANDS: tuple[CommandSpec, ...] = (
    vehicle("door_lock", "Lock the doors."),
    vehicle("door_unlock", "Unlock the doors."),
    # A rear trunk command moves it whichever way it is: sent twice, it may close what it opened.
    vehicle("actuate_trunk", "Open (or move) the front or rear trunk.", idempotent=False, params=pb.Trunk),
    vehicle("window_control", "Vent or close all the windows.", params=pb.WindowControl),
    # Which way "stop" leaves the roof depends on where it was when the command landed.
    vehicle("sun_roof_control", "Vent, close or stop the sunroof.", idempotent=False, params=pb.SunRoof),
    vehicle(
        "trigger_homelink",
        "Open or close the garage door with HomeLink (the car must be near it).",
        idempotent=False,
        params=pb.Homelink,
    ),
    vehicle("honk_horn", "Honk the horn (each send honks again).", idempotent=False),
    vehicle("flash_lights", "Flash the lights (each send flashes again).", idempotent=False),
    vehicle("remote_boombox", "Play a sound through the external speaker.", idempotent=False, params=pb.Boombox),
)

SECURITY_COMMANDS: tuple[CommandSpec, ...] = (
    vehicle("set_sentry_mode", "Turn Sentry Mode on or off.", params=pb.SentryMode),
    vehicle(
        "remote_start_drive",
        "Allow keyless driving for two minutes (each send starts the window again).",
        idempotent=False,
    ),
    vehicle("set_valet_mode", "Turn Valet Mode on or off, with its PIN.", params=pb.ValetMode),
    vehicle("reset_valet_pin", "Clear the Valet Mode PIN."),
    vehicle("speed_limit_activate", "Turn Speed Limit Mode on, with its PIN.", params=pb.SpeedLimitPin),
    vehicle("speed_limit_deactivate", "Turn Speed Limit Mode off, with its PIN.", params=pb.SpeedLimitPin),
    vehicle("speed_limit_set_limit", "Set the Speed Limit Mode top speed.", params=pb.SpeedLimit),
    vehicle("speed_limit_clear_pin", "Clear the Speed Limit Mode PIN, given the PIN.", params=pb.SpeedLimitPin),
    vehicle("speed_limit_clear_pin_admin", "Clear the Speed Limit Mode PIN without it (fleet manager)."),
    vehicle("set_pin_to_drive", "Turn PIN to Drive on or off.", params=pb.PinToDrive),
    vehicle("reset_pin_to_drive_pin", "Clear the PIN to Drive PIN."),
    vehicle("clear_pin_to_drive_admin", "Turn PIN to Drive off and clear its PIN (fleet manager)."),
    vehicle("guest_mode", "Turn Guest Mode on or off (limits what a driver can change).", params=pb.GuestMode),
    vehicle(
        "erase_user_data",
        "Erase the drivers' data from the car (profiles, addresses, paired phones), as at a rental handover.",
    ),
)

INFOTAINMENT_COMMANDS: tuple[CommandSpec, ...] = (
    vehicle("media_toggle_playback", "Play or pause the media.", idempotent=False),
    vehicle("media_next_track", "Skip to the next track.", idempotent=False),
    vehicle("media_prev_track", "Go back to the previous track.", idempotent=False),
    vehicle("media_next_fav", "Skip to the next favourite.", idempotent=False),
    vehicle("media_prev_fav", "Go back to the previous favourite.", idempotent=False),
    vehicle("media_volume_up", "Turn the volume up a step.", idempotent=False),
    vehicle("media_volume_down", "Turn the volume down a step.", idempotent=False),
    vehicle("adjust_volume", "Set the volume.", params=pi.Volume),
    vehicle("navigation_request", "Send a destination (an address or place) to the car.", params=pi.NavigationRequest),
    vehicle("navigation_gps_request", "Send a destination by coordinates.", params=pi.NavigationGps),
    vehicle("navigation_sc_request", "Navigate to a Supercharger.", params=pi.NavigationSupercharger),
    vehicle("navigation_waypoints_request", "Send a trip of several stops.", params=pi.Waypoints),
    vehicle("set_vehicle_name", "Rename the car.", params=pi.VehicleName),
    vehicle(
        "schedule_software_update",
        "Install the downloaded software update after a delay.",
        params=pi.SoftwareUpdate,
    ),
    vehicle("cancel_software_update", "Cancel a scheduled software update."),
)
