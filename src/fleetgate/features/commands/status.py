"""A command's lifecycle: queued → in_progress → succeeded | failed | cancelled | expired.

`in_progress` may go back to `queued` (a retry after a rate limit or a failure that did not reach the car, or
recovery after a crash); the four terminal states never change again.
"""

from typing import Literal

QUEUED, IN_PROGRESS = "queued", "in_progress"
SUCCEEDED, FAILED, CANCELLED, EXPIRED = "succeeded", "failed", "cancelled", "expired"
TERMINAL = frozenset({SUCCEEDED, FAILED, CANCELLED, EXPIRED})
ACTIVE = (QUEUED, IN_PROGRESS)

CommandStatus = Literal["queued", "in_progress", "succeeded", "failed", "cancelled", "expired"]

# The reason of a command that may or may not have reached the car, and was not sent again.
OUTCOME_UNKNOWN = "outcome_unknown"
