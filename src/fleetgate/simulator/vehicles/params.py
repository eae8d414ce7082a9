"""Reading a command's JSON parameters the way Tesla's command proxy does.

A missing key is `missing <key> param`, a value of the wrong type `invalid <key> param`. Numbers may arrive as
JSON numbers or numeric strings and booleans as JSON booleans or "true"/"false", since Tesla's REST endpoint has
long accepted form-style values from older clients.
"""

from __future__ import annotations

import math
from typing import Any

from fleetgate.simulator.vehicles.outcomes import InvalidParameter


def _present(params: dict[str, Any], key: str) -> Any:
    if params.get(key) is None:
        raise InvalidParameter(f"missing {key} param")
    return params[key]


def invalid(key: str) -> InvalidParameter:
    return InvalidParameter(f"invalid {key} param")


def need_bool(params: dict[str, Any], key: str) -> bool:
    value = _present(params, key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise invalid(key)


def need_float(params: dict[str, Any], key: str) -> float:
    value = _present(params, key)
    if isinstance(value, bool):
        raise invalid(key)
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise invalid(key) from None
    else:
        raise invalid(key)
    if not math.isfinite(number):
        raise invalid(key)
    return number


def need_int(params: dict[str, Any], key: str) -> int:
    """Fractions are cut off, as the proxy's integer conversion does."""
    return int(need_float(params, key))


def need_str(params: dict[str, Any], key: str) -> str:
    value = _present(params, key)
    if not isinstance(value, str) or not value.strip():
        raise invalid(key)
    return value


def need_choice(params: dict[str, Any], key: str, choices: tuple[str, ...]) -> str:
    value = need_str(params, key)
    if value not in choices:
        raise invalid(key)
    return value


def need_pin(params: dict[str, Any], key: str) -> str:
    """A four-digit PIN, as a string or a number."""
    value = _present(params, key)
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or len(text) != 4 or not text.isdigit():
        raise invalid(key)
    return text


def optional_float(params: dict[str, Any], key: str) -> float | None:
    return None if params.get(key) is None else need_float(params, key)
