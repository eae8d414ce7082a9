"""Fleet Telemetry's wire: the configuration's JWS (Tesla.SS256), the stream's FlatBuffers envelope and its records."""
