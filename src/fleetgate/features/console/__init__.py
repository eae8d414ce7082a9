"""The developer console: server-rendered pages behind a login derived from a workspace's API key."""
