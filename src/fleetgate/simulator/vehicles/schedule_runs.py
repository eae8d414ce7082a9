"""What a car does when its schedules come due: the events `Vehicle.advance` stops at, and what each one changes.

A charge schedule starts a plugged-in car charging at its start (waking it, as the older `StartAt` schedule does)
and stops it at its end; a car plugged in during a window (or given a window it is already in) charges at once.
A precondition schedule, and the older departure planner with preconditioning on, turns the climate on
`precondition_lead_seconds` before the departure and off `PRECONDITION_HOLD_SECONDS` after it, unless the car is
being driven then or someone else had turned the climate on. A one-time schedule is switched off once it has run
(at its end, for a charge window), and stays in the list, as in the car's schedule screen.

Each event carries the moment it is due; the handler finds again which schedules are due then, so that several
schedules at one minute act once, and a schedule for a place the car has left does nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeGuard, get_args

from fleetgate.simulator.vehicles.schedules import (
    ALL_DAYS,
    WEEKDAYS,
    ChargeSchedule,
    PreconditionSchedule,
    next_charge_end,
    next_charge_start,
    next_departure,
)

if TYPE_CHECKING:
    from fleetgate.simulator.vehicles.vehicle import Vehicle

ScheduleEvent = Literal["charge_schedule_start", "charge_schedule_end", "precondition_start", "precondition_end"]
SCHEDULE_EVENTS: frozenset[str] = frozenset(get_args(ScheduleEvent))
# How long the cabin is kept ready after the departure time for a driver who is a little late.
PRECONDITION_HOLD_SECONDS = 600.0
# Schedule times fall on whole minutes: anything due "now" is found by looking from a second before.
SLACK_SECONDS = 1.0


def is_schedule_event(event: str) -> TypeGuard[ScheduleEvent]:
    return event in SCHEDULE_EVENTS


def charge_schedules_here(vehicle: Vehicle) -> list[ChargeSchedule]:
    return [s for s in vehicle.charge_schedules if s.place.is_near(vehicle.latitude, vehicle.longitude)]


def precondition_schedules(vehicle: Vehicle) -> list[PreconditionSchedule]:
    """The car's precondition schedules, with the older departure planner as one more (id 0, anywhere)."""
    planner = PreconditionSchedule(
        id=0,
        name="",
        days_of_week=WEEKDAYS if vehicle.preconditioning_weekdays_only else ALL_DAYS,
        enabled=vehicle.scheduled_departure_enabled and vehicle.preconditioning_enabled,
        precondition_time=vehicle.scheduled_departure_minutes,
        one_time=False,
        place=None,
    )
    return [*vehicle.precondition_schedules, planner]


def _precondition_schedules_here(vehicle: Vehicle) -> list[PreconditionSchedule]:
    return [s for s in precondition_schedules(vehicle) if s.applies_at(vehicle.latitude, vehicle.longitude)]


def next_departure_to_prepare(vehicle: Vehicle, after: float) -> float | None:
    """The next departure after `after` that the car has not yet started preparing for."""
    schedules = _precondition_schedules_here(vehicle)
    departure = next_departure(schedules, after)
    if departure is not None and departure == vehicle.prepared_departure:
        departure = next_departure(schedules, departure)
    return departure


def upcoming(vehicle: Vehicle, moment: float) -> dict[ScheduleEvent, float]:
    events: dict[ScheduleEvent, float] = {}
    charge = charge_schedules_here(vehicle)
    start = next_charge_start(charge, moment)
    if start is not None:
        events["charge_schedule_start"] = start
    end = next_charge_end(charge, moment)
    if end is not None:
        events["charge_schedule_end"] = end
    departure = next_departure_to_prepare(vehicle, moment)
    if departure is not None:
        # A departure closer than the lead time (a schedule just added) is prepared for at once.
        events["precondition_start"] = max(departure - vehicle.precondition_lead_seconds, moment)
    if vehicle.preconditioning_until is not None:
        events["precondition_end"] = max(vehicle.preconditioning_until, moment)
    return events


def run(vehicle: Vehicle, event: ScheduleEvent, moment: float) -> None:
    if event == "charge_schedule_start":
        _start_charging(vehicle, moment)
    elif event == "charge_schedule_end":
        _stop_charging(vehicle, moment)
    elif event == "precondition_start":
        _start_preconditioning(vehicle, moment)
    else:
        _stop_preconditioning(vehicle, moment)


def in_charge_window(vehicle: Vehicle, at: float) -> bool:
    """Whether a charge schedule with a start and an end, here, has its window open at `at`."""
    for schedule in charge_schedules_here(vehicle):
        if schedule.start_enabled and schedule.end_enabled:
            start = schedule.next_start(at - schedule.window_seconds())
            if start is not None and start <= at:
                return True
    return False


def charge_if_in_window(vehicle: Vehicle, at: float) -> None:
    if vehicle.charging_state == "Stopped" and vehicle.room_to_limit_kwh() > 0 and in_charge_window(vehicle, at):
        vehicle.charging_state = "Charging"
        _wake(vehicle, at)


def _is_due(at: float | None, moment: float) -> bool:
    return at is not None and at <= moment


def _wake(vehicle: Vehicle, moment: float) -> None:
    if vehicle.online_state == "asleep":
        vehicle.online_state = "online"
        vehicle.wake_at = None
    vehicle.touch(moment)


def _start_charging(vehicle: Vehicle, moment: float) -> None:
    due = [s for s in charge_schedules_here(vehicle) if _is_due(s.next_start(moment - SLACK_SECONDS), moment)]
    if not due:
        return
    for schedule in due:
        if schedule.is_done_after_start():
            schedule.enabled = False
    if vehicle.charging_state in ("Stopped", "Complete") and vehicle.room_to_limit_kwh() > 0:
        vehicle.charging_state = "Charging"
        _wake(vehicle, moment)


def _stop_charging(vehicle: Vehicle, moment: float) -> None:
    due = [s for s in charge_schedules_here(vehicle) if _is_due(s.next_end(moment - SLACK_SECONDS), moment)]
    if not due:
        return
    for schedule in due:
        if schedule.one_time:
            schedule.enabled = False
    if vehicle.charging_state == "Charging":
        vehicle.charging_state = "Stopped"
        vehicle.touch(moment)


def _start_preconditioning(vehicle: Vehicle, moment: float) -> None:
    departure = next_departure_to_prepare(vehicle, moment)
    if departure is None or departure - vehicle.precondition_lead_seconds > moment:
        return
    vehicle.prepared_departure = departure
    for schedule in _precondition_schedules_here(vehicle):
        if schedule.one_time and schedule.next_departure(departure - SLACK_SECONDS) == departure:
            schedule.enabled = False
    if vehicle.drive is None and not vehicle.is_climate_on:
        vehicle.is_climate_on = True
        vehicle.preconditioning_until = departure + PRECONDITION_HOLD_SECONDS
        _wake(vehicle, moment)


def _stop_preconditioning(vehicle: Vehicle, moment: float) -> None:
    if vehicle.preconditioning_until is None or vehicle.preconditioning_until > moment:
        return
    vehicle.preconditioning_until = None
    if vehicle.is_climate_on and vehicle.drive is None and vehicle.climate_keeper_mode == "off":
        vehicle.is_climate_on = False
        vehicle.touch(moment)
