"""What a car is fitted with, so that it refuses a command for something it lacks, as Tesla's cars do.

Each model comes with what it usually has; the control API changes any of it (`PATCH /sim/vehicles/{vin}` with
`equipment`), for the car with the older sunroof or without the heated wheel. `vehicle_config` reports the same.
"""

from __future__ import annotations

from dataclasses import dataclass

FRONT_SEATS = frozenset({0, 1})
# Tesla's seat numbers: 2, 4, 5 the second row left, centre, right; 3 and 6 the second-row seat backs.
REAR_SEATS = frozenset({2, 3, 4, 5, 6})
THIRD_ROW_SEATS = frozenset({7, 8})


@dataclass(frozen=True, slots=True)
class Equipment:
    sunroof: bool = False
    seat_cooling: bool = False
    steering_wheel_heater: bool = True
    steering_wheel_heat_levels: bool = False  # the newer wheel with levels (and automatic heat), not just on/off
    rear_seat_heaters: bool = True
    third_row_seats: bool = False

    def heated_seats(self) -> frozenset[int]:
        seats = FRONT_SEATS
        if self.rear_seat_heaters:
            seats |= REAR_SEATS
        if self.third_row_seats:
            seats |= THIRD_ROW_SEATS
        return seats


STANDARD = {
    "Model 3": Equipment(),
    "Model Y": Equipment(),
    "Model S": Equipment(seat_cooling=True, steering_wheel_heat_levels=True),
    "Model X": Equipment(seat_cooling=True, steering_wheel_heat_levels=True, third_row_seats=True),
    "Cybertruck": Equipment(seat_cooling=True, steering_wheel_heat_levels=True),
}


def standard_equipment(model: str) -> Equipment:
    return STANDARD.get(model, Equipment())
