"""Fleet Telemetry: configuring what cars stream, and receiving it."""
