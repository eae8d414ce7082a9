"""The simulator's Fleet Telemetry: configs posted through its Fleet API, and cars that stream them."""
