"""fleetgate: a self-hostable gateway to Tesla's Fleet API."""

__version__ = "0.1.0"
