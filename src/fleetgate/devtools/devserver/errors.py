class DevError(Exception):
    """`fleetgate dev` cannot start; the message says why and what to do, in one line."""
